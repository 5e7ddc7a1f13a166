"""National cryptography (SM3, HMAC-SM3, PBKDF2-HMAC-SM3, SM4-GCM) behind one small provider interface.

The software provider uses `cryptography`. A certified module (a UKey or card, as 等保 level 3 and
GB/T 39786 expect) can replace it with `set_provider`. A known-answer self-test with the national test
vectors runs before each algorithm's first use (SM3 and what is built on it at the first digest, SM4-GCM at the first
cipher); on a mismatch every function here refuses (CryptoUnavailable).

Files: `encrypt_file` / `decrypt_file` (SM4-GCM, header authenticated; a wrong key or a changed byte gives a
clear Chinese error and never leaves partial plaintext behind).
"""

from __future__ import annotations

import os
import secrets
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from app.errors import GovDataError, UnreadableError
from app.storage.fileio import atomic_write


class CryptoUnavailable(GovDataError):
    """The cryptographic module failed its self-test; nothing is hashed, signed or encrypted."""


class DecryptionError(UnreadableError):
    """A wrong key, or a file changed after it was encrypted."""


class CryptoProvider(Protocol):
    name: str

    def sm3(self, data: bytes) -> bytes: ...

    def hmac_sm3(self, key: bytes, data: bytes) -> bytes: ...

    def pbkdf2_sm3(self, password: bytes, salt: bytes, iterations: int, length: int) -> bytes: ...

    def sm4_gcm_encryptor(self, key: bytes, nonce: bytes, aad: bytes): ...

    def sm4_gcm_decryptor(self, key: bytes, nonce: bytes, aad: bytes, tag: bytes): ...


class SoftwareProvider:
    """SM3/SM4 from the `cryptography` package (OpenSSL)."""

    name = "软件密码模块（cryptography）"

    def sm3(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes  # OpenSSL loads at the first digest

        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize()

    def hmac_sm3(self, key: bytes, data: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes, hmac  # OpenSSL loads at the first digest

        h = hmac.HMAC(key, hashes.SM3())
        h.update(data)
        return h.finalize()

    def hmac_sm3_keyed(self, key: bytes):
        """A fast MAC function for many messages under one key (the audit chain)."""
        from cryptography.hazmat.primitives import hashes, hmac  # OpenSSL loads at the first digest

        base = hmac.HMAC(key, hashes.SM3())

        def mac(data: bytes) -> bytes:
            h = base.copy()
            h.update(data)
            return h.finalize()

        return mac

    def pbkdf2_sm3(self, password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
        from cryptography.hazmat.primitives import hashes  # OpenSSL loads at the first digest
        from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

        return PBKDF2HMAC(hashes.SM3(), length, salt, iterations).derive(password)

    def sm4_gcm_encryptor(self, key: bytes, nonce: bytes, aad: bytes):
        from cryptography.hazmat.primitives.ciphers import (  # OpenSSL loads at the first cipher
            Cipher,
            algorithms,
            modes,
        )

        enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(aad)
        return enc

    def sm4_gcm_decryptor(self, key: bytes, nonce: bytes, aad: bytes, tag: bytes):
        from cryptography.hazmat.primitives.ciphers import (  # OpenSSL loads at the first cipher
            Cipher,
            algorithms,
            modes,
        )

        dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(aad)
        return dec


# ---------------------------------------------------------------- known-answer tests

# GB/T 32905-2016 appendix A (SM3), GB/T 32907-2016 appendix A (SM4, as GCM with RFC 8998 A.1),
# HMAC-SM3 and PBKDF2-HMAC-SM3 per RFC 2104 / RFC 8018 (cross-checked against OpenSSL's own HMAC in the tests).
_H = bytes.fromhex
KAT_SM3 = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]
KAT_SM4_GCM = {
    "key": _H("0123456789ABCDEFFEDCBA9876543210"),
    "nonce": _H("00001234567800000000ABCD"),
    "aad": _H("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"),
    "plain": _H("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
             "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"),
    "cipher": _H("17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
              "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"),
    "tag": _H("83DE3541E4C2B58177E065A9BF7B62EC"),
}
KAT_HMAC = (b"govdata-kat-key", b"abc", "618714cdf719d61cfa5031699198cb887d7ff3ebd295b6ad692db2aebefa150d")
KAT_PBKDF2 = (b"password", b"salt", 2, "fee723a2bc966e11dffb66133f4e8df577383c78ade30e3298edbd3e54ed85b7")


def _known_answers(p: CryptoProvider) -> dict[str, list[tuple[str, Callable[[], bool]]]]:
    """The known-answer tests of each algorithm family: SM3 with what is built on it, and SM4-GCM."""

    def gcm() -> bool:
        v = KAT_SM4_GCM
        enc = p.sm4_gcm_encryptor(v["key"], v["nonce"], v["aad"])
        ct = enc.update(v["plain"]) + enc.finalize()
        if ct != v["cipher"] or enc.tag != v["tag"]:
            return False
        dec = p.sm4_gcm_decryptor(v["key"], v["nonce"], v["aad"], v["tag"])
        return dec.update(ct) + dec.finalize() == v["plain"]

    def digest(msg: bytes, hex_digest: str) -> Callable[[], bool]:
        return lambda: p.sm3(msg).hex() == hex_digest

    sm3_tests = [(f"SM3-{i + 1}", digest(msg, d)) for i, (msg, d) in enumerate(KAT_SM3)]
    sm3_tests.append(("HMAC-SM3", lambda: p.hmac_sm3(KAT_HMAC[0], KAT_HMAC[1]).hex() == KAT_HMAC[2]))
    sm3_tests.append(("PBKDF2-HMAC-SM3", lambda: p.pbkdf2_sm3(KAT_PBKDF2[0], KAT_PBKDF2[1], KAT_PBKDF2[2], 32).hex()
                      == KAT_PBKDF2[3]))
    return {"SM3": sm3_tests, "SM4": [("SM4-GCM", gcm)]}


FAMILIES = ("SM3", "SM4")


def self_test(p: CryptoProvider, families: tuple[str, ...] = FAMILIES) -> list[str]:
    """Run the known-answer tests of `families` against a provider. Returns the failed tests' names (empty: sound)."""
    failed: list[str] = []
    tests = _known_answers(p)
    for family in families:
        for name, fn in tests[family]:
            try:
                if not fn():
                    failed.append(name)
            except Exception:  # noqa: BLE001 - any failure of the module is a failed self-test
                failed.append(name)
    return failed


# The default provider is tested family by family, each before its first use (a command that only MACs never loads
# the ciphers); a provider installed with set_provider is tested whole. Any failure stops every function here.
_provider: CryptoProvider | None = None
_failed: list[str] = []
_tested: set[str] = set()
_lock = threading.Lock()


def set_provider(p: CryptoProvider) -> list[str]:
    """Install a provider after its self-test. On failure the crypto functions refuse until a sound one is set."""
    global _provider, _failed, _tested
    with _lock:
        _failed = self_test(p)
        _tested = set(FAMILIES)
        _provider = p
    return list(_failed)


def _use(family: str) -> CryptoProvider:
    """The provider, once `family`'s known-answer tests have passed (run here at its first use)."""
    global _provider
    if family not in _tested:
        with _lock:
            if _provider is None:
                _provider = SoftwareProvider()
            if family not in _tested:
                _failed.extend(self_test(_provider, (family,)))
                _tested.add(family)
    if _failed:
        raise CryptoUnavailable(
            f"密码模块自检未通过（{'、'.join(_failed)}），已停止使用密码功能（签名、加密、口令验证）。"
            "请联系系统管理员检查程序完整性。")
    assert _provider is not None
    return _provider


def provider() -> CryptoProvider:
    """The provider for SM3, HMAC-SM3 and PBKDF2-HMAC-SM3 (SM4's own test runs at the first cipher)."""
    return _use("SM3")


def self_test_status() -> tuple[str, list[str]]:
    """(provider name, failed tests) for the monitoring view: every family's tests, run now if not yet run."""
    for family in FAMILIES:
        try:
            _use(family)
        except CryptoUnavailable:
            break
    return getattr(_provider, "name", "?"), list(_failed)


def sm3(data: bytes) -> bytes:
    return provider().sm3(data)


def sm3_hex(data: bytes) -> str:
    return sm3(data).hex()


def sm3_file(path: str | os.PathLike[str]) -> str:
    """SM3 of a file's bytes (hex), read in chunks with the software provider, whole with another."""
    p = provider()
    if not isinstance(p, SoftwareProvider):
        return p.sm3(Path(path).read_bytes()).hex()
    from cryptography.hazmat.primitives import hashes  # OpenSSL loads at the first digest

    h = hashes.Hash(hashes.SM3())
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.finalize().hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    return provider().hmac_sm3(key, data)


def hmac_sm3_keyed(key: bytes):
    """A MAC function for many messages under one key (uses the provider's fast path when it has one)."""
    p = provider()
    fast = getattr(p, "hmac_sm3_keyed", None)
    if fast is not None:
        return fast(key)
    return lambda data: p.hmac_sm3(key, data)


def pbkdf2_sm3(password: bytes, salt: bytes, iterations: int, length: int = 32) -> bytes:
    return provider().pbkdf2_sm3(password, salt, iterations, length)


def constant_time_equal(a: bytes | str, b: bytes | str) -> bool:
    a = a.encode() if isinstance(a, str) else a
    b = b.encode() if isinstance(b, str) else b
    return secrets.compare_digest(a, b)


# ---------------------------------------------------------------- files

MAGIC = b"GDSM4GCM"
VERSION = 1
KEY_LEN = 16  # SM4 is a 128-bit cipher
FILE_PBKDF2_ITERATIONS = 200_000
_HEADER = struct.Struct(">8sBB16sI12s16s")  # magic version kind salt iterations nonce key-check
CHUNK = 1 << 20


def new_key() -> bytes:
    return secrets.token_bytes(KEY_LEN)


def _file_key(key: bytes | str, salt: bytes, iterations: int) -> bytes:
    if isinstance(key, str):
        if not key:
            raise GovDataError("加密口令不能为空")
        return pbkdf2_sm3(key.encode("utf-8"), salt, iterations, KEY_LEN)
    if len(key) != KEY_LEN:
        raise GovDataError("SM4 密钥长度应为 16 字节")
    return key


def _key_check(key: bytes, salt: bytes) -> bytes:
    return hmac_sm3(key, b"govdata-key-check" + salt)[:16]


def encrypt_file(src: str | os.PathLike[str], dst: str | os.PathLike[str], key: bytes | str) -> None:
    """Encrypt a file with SM4-GCM. `key` is 16 raw bytes, or a passphrase (PBKDF2-HMAC-SM3, salt in the header)."""
    salt = secrets.token_bytes(16)
    iterations = FILE_PBKDF2_ITERATIONS if isinstance(key, str) else 0
    k = _file_key(key, salt, iterations)
    nonce = secrets.token_bytes(12)
    header = _HEADER.pack(MAGIC, VERSION, 1 if isinstance(key, str) else 0, salt, iterations, nonce,
                          _key_check(k, salt))
    enc = _use("SM4").sm4_gcm_encryptor(k, nonce, header)
    with open(src, "rb") as fin, atomic_write(Path(dst), "wb") as fout:
        fout.write(header)
        while chunk := fin.read(CHUNK):
            fout.write(enc.update(chunk))
        fout.write(enc.finalize())
        fout.write(enc.tag)


def decrypt_file(src: str | os.PathLike[str], dst: str | os.PathLike[str], key: bytes | str) -> None:
    """Decrypt a file made by encrypt_file. The target appears only when the whole file authenticated."""
    src = Path(src)
    try:
        size = src.stat().st_size
        fin = open(src, "rb")  # noqa: SIM115
    except OSError as exc:
        raise UnreadableError(f"无法读取加密文件 {src}：{exc.strerror or exc}") from None
    with fin:
        header = fin.read(_HEADER.size)
        if len(header) < _HEADER.size or size < _HEADER.size + 16:
            raise DecryptionError(f"文件 {src.name} 不是本程序加密的文件，或已被截断。")
        magic, version, kind, salt, iterations, nonce, check = _HEADER.unpack(header)
        if magic != MAGIC or version != VERSION or kind not in (0, 1):
            raise DecryptionError(f"文件 {src.name} 不是本程序加密的文件，或文件头已被改动。")
        if (kind == 1) != isinstance(key, str):
            raise DecryptionError("密钥类型不符：该文件" + ("需要口令" if kind == 1 else "需要密钥") + "解密。")
        if kind == 1 and not 1 <= iterations <= 10_000_000:
            raise DecryptionError(f"文件 {src.name} 的文件头已被改动。")
        k = _file_key(key, salt, iterations)
        if not constant_time_equal(_key_check(k, salt), check):
            raise DecryptionError("解密失败：密钥或口令不正确（也可能文件头已被改动）。未输出任何内容。")
        fin.seek(size - 16)
        tag = fin.read(16)
        fin.seek(_HEADER.size)
        remaining = size - _HEADER.size - 16
        dec = _use("SM4").sm4_gcm_decryptor(k, nonce, header, tag)
        from cryptography.exceptions import InvalidTag  # with the cipher

        try:
            with atomic_write(Path(dst), "wb") as fout:
                while remaining > 0:
                    chunk = fin.read(min(CHUNK, remaining))
                    remaining -= len(chunk)
                    fout.write(dec.update(chunk))
                dec.finalize()  # raises before the temporary file is renamed into place
        except InvalidTag:
            raise DecryptionError(
                f"解密失败：文件 {src.name} 在加密后已被改动或损坏，内容不可信。未输出任何内容。") from None


# ---------------------------------------------------------------- a small secret wrapped under a passphrase

WRAP_MAGIC = b"GDWRAP1"
WRAP_ITERATIONS = 300_000
_WRAP_HEADER = struct.Struct(">7s16sI12s")  # magic salt iterations nonce
MIN_PASSPHRASE = 12


def wrap_secret(secret: bytes, passphrase: str, label: bytes) -> str:
    """`secret` SM4-GCM-encrypted under PBKDF2-HMAC-SM3(passphrase); `label` (what it is, e.g. the key's id) is
    authenticated too, so a wrapped key cannot be moved to another record. Returns base64 text."""
    import base64  # small: only when a key is wrapped

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = _WRAP_HEADER.pack(WRAP_MAGIC, salt, WRAP_ITERATIONS, nonce)
    k = pbkdf2_sm3(passphrase.encode("utf-8"), salt, WRAP_ITERATIONS, KEY_LEN)
    enc = _use("SM4").sm4_gcm_encryptor(k, nonce, header + label)
    body = enc.update(secret) + enc.finalize()
    return base64.b64encode(header + body + enc.tag).decode("ascii")


def unwrap_secret(blob: str, passphrase: str, label: bytes) -> bytes:
    """The secret of `wrap_secret`; DecryptionError for a wrong passphrase or a changed blob."""
    import base64  # small: only when a key is unwrapped

    from cryptography.exceptions import InvalidTag  # with the cipher

    try:
        raw = base64.b64decode(blob.encode("ascii"), validate=True)
        magic, salt, iterations, nonce = _WRAP_HEADER.unpack(raw[:_WRAP_HEADER.size])
    except (ValueError, struct.error, UnicodeEncodeError):
        raise DecryptionError("密钥副本已损坏，无法解开。") from None
    if magic != WRAP_MAGIC or not 1 <= iterations <= 10_000_000 or len(raw) < _WRAP_HEADER.size + 16:
        raise DecryptionError("密钥副本已损坏，无法解开。")
    header, body, tag = raw[:_WRAP_HEADER.size], raw[_WRAP_HEADER.size:-16], raw[-16:]
    k = pbkdf2_sm3(passphrase.encode("utf-8"), salt, iterations, KEY_LEN)
    dec = _use("SM4").sm4_gcm_decryptor(k, nonce, header + label, tag)
    try:
        return dec.update(body) + dec.finalize()
    except InvalidTag:
        raise DecryptionError("口令不正确（或密钥副本已被改动），未解开密钥。") from None
