"""National cryptography: known answers, the self-test gate, and SM4-GCM file encryption."""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.domain.actor import Actor
from app.storage import crypto
from app.storage.crypto import CryptoUnavailable, DecryptionError, SoftwareProvider
from app.storage.database import open_database


@pytest.fixture(autouse=True)
def _sound_provider():
    crypto.set_provider(SoftwareProvider())
    yield
    crypto.set_provider(SoftwareProvider())


def test_sm3_national_vectors():
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm4_gcm_rfc8998_vector_and_self_test_passes():
    assert crypto.self_test(SoftwareProvider()) == []


@pytest.mark.skipif("sm3" not in hashlib.algorithms_available, reason="OpenSSL of hashlib has no SM3")
def test_hmac_and_pbkdf2_agree_with_an_independent_implementation():
    key, msg = b"k" * 40, "政务大数据".encode()
    assert crypto.hmac_sm3(key, msg) == hmac.new(key, msg, "sm3").digest()
    assert crypto.hmac_sm3_keyed(key)(msg) == hmac.new(key, msg, "sm3").digest()
    assert crypto.pbkdf2_sm3(b"pw", b"salt", 1000, 32) == hashlib.pbkdf2_hmac("sm3", b"pw", b"salt", 1000, 32)
    # the embedded self-test vectors themselves
    assert hmac.new(crypto.KAT_HMAC[0], crypto.KAT_HMAC[1], "sm3").hexdigest() == crypto.KAT_HMAC[2]
    k = crypto.KAT_PBKDF2
    assert hashlib.pbkdf2_hmac("sm3", k[0], k[1], k[2], 32).hex() == k[3]


class _Broken(SoftwareProvider):
    name = "broken"

    def sm3(self, data: bytes) -> bytes:
        return bytes(32)


def test_failed_self_test_makes_every_function_refuse():
    failed = crypto.set_provider(_Broken())
    assert failed == ["SM3-1", "SM3-2"]
    for call in (lambda: crypto.sm3(b"x"), lambda: crypto.hmac_sm3(b"k", b"x"),
                 lambda: crypto.pbkdf2_sm3(b"p", b"s", 1), lambda: crypto.hmac_sm3_keyed(b"k")):
        with pytest.raises(CryptoUnavailable, match="自检未通过"):
            call()
    assert crypto.self_test_status() == ("broken", ["SM3-1", "SM3-2"])


class _Recording(SoftwareProvider):
    """Notes each cipher it makes (with its key), then makes it; `wrong` makes the encryptor's key a wrong one."""

    name = "recording"

    def __init__(self, wrong: bool = False) -> None:
        self.ciphers: list[tuple[str, bytes]] = []
        self.wrong = wrong

    def sm4_gcm_encryptor(self, key: bytes, nonce: bytes, aad: bytes):
        self.ciphers.append(("encrypt", key))
        return super().sm4_gcm_encryptor(bytes(16) if self.wrong else key, nonce, aad)

    def sm4_gcm_decryptor(self, key: bytes, nonce: bytes, aad: bytes, tag: bytes):
        self.ciphers.append(("decrypt", key))
        return super().sm4_gcm_decryptor(key, nonce, aad, tag)


def _untested(monkeypatch: pytest.MonkeyPatch, p: SoftwareProvider) -> None:
    """`p` as the default provider is at start-up: installed, no family tested yet."""
    monkeypatch.setattr(crypto, "_provider", p)
    monkeypatch.setattr(crypto, "_failed", [])
    monkeypatch.setattr(crypto, "_tested", set())


def test_sm4_self_test_runs_before_the_first_encryption_and_not_for_the_mac(monkeypatch, tmp_path):
    p = _Recording()
    _untested(monkeypatch, p)
    mac = crypto.hmac_sm3_keyed(b"k" * 32)
    assert mac(b"record") == crypto.hmac_sm3(b"k" * 32, b"record")
    assert crypto.sm3_hex(b"abc") == crypto.KAT_SM3[0][1]
    assert p.ciphers == [] and crypto._tested == {"SM3"}  # the MAC's commands never make a cipher
    src, enc, out = tmp_path / "a.bin", tmp_path / "a.enc", tmp_path / "b.bin"
    src.write_bytes(b"secret" * 100)
    key = crypto.new_key()
    crypto.encrypt_file(src, enc, key)
    kat = crypto.KAT_SM4_GCM["key"]
    assert p.ciphers == [("encrypt", kat), ("decrypt", kat), ("encrypt", key)]  # the known answers first
    crypto.decrypt_file(enc, out, key)
    assert p.ciphers[3:] == [("decrypt", key)] and out.read_bytes() == src.read_bytes()  # tested once


def test_a_failed_sm4_self_test_refuses_the_first_encryption_and_then_everything(monkeypatch, tmp_path):
    p = _Recording(wrong=True)
    _untested(monkeypatch, p)
    assert crypto.hmac_sm3(b"k", b"x")  # SM4 untested: the MAC works
    src, enc = tmp_path / "a.bin", tmp_path / "a.enc"
    src.write_bytes(b"secret")
    with pytest.raises(CryptoUnavailable, match="自检未通过（SM4-GCM）"):
        crypto.encrypt_file(src, enc, crypto.new_key())
    assert set(tmp_path.iterdir()) == {src} and p.ciphers == [("encrypt", crypto.KAT_SM4_GCM["key"])]
    for call in (lambda: crypto.wrap_secret(b"s" * 16, "口令口令口令口令", b"label"),
                 lambda: crypto.hmac_sm3(b"k", b"x"), lambda: crypto.sm3(b"x")):
        with pytest.raises(CryptoUnavailable, match="自检未通过"):
            call()
    assert crypto.self_test_status() == ("recording", ["SM4-GCM"])


def test_a_command_that_only_macs_loads_no_cipher(tmp_path):
    path = tmp_path / "v.sqlite3"
    db = open_database(path)
    with db.uow(Actor("zhangsan", "reviewer", 1, "张三")) as uow:
        uow.audit("project.update", "project", "QS-2027-0001")
        uow.commit()
    db.dispose()
    code = textwrap.dedent(f"""
        import sys
        from app.cli.main import main
        from app.storage import crypto
        code = main(["--db", {str(path)!r}, "verify", "--json"])
        print(code, sorted(crypto._tested), "cryptography.hazmat.primitives.ciphers" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.splitlines()[-1] == "0 ['SM3'] False"


@pytest.mark.parametrize("key", ["a new key", "备份口令-2027"])  # ids fixed: every pytest-xdist worker collects the same
def test_file_round_trip(tmp_path, key):
    key = crypto.new_key() if key == "a new key" else key
    data = bytes(range(256)) * 9000  # spans several chunks
    src, enc, out = tmp_path / "a.bin", tmp_path / "a.enc", tmp_path / "b.bin"
    src.write_bytes(data)
    crypto.encrypt_file(src, enc, key)
    assert data[:4096] not in enc.read_bytes()
    crypto.decrypt_file(enc, out, key)
    assert out.read_bytes() == data


def test_wrong_key_refused_without_output(tmp_path):
    src, enc, out = tmp_path / "a.bin", tmp_path / "a.enc", tmp_path / "b.bin"
    src.write_bytes(b"secret" * 1000)
    crypto.encrypt_file(src, enc, "right")
    with pytest.raises(DecryptionError, match="密钥或口令不正确"):
        crypto.decrypt_file(enc, out, "wrong")
    with pytest.raises(DecryptionError, match="需要口令"):
        crypto.decrypt_file(enc, out, crypto.new_key())
    assert not out.exists()
    assert set(tmp_path.iterdir()) == {src, enc}


@pytest.mark.parametrize("where", ["body-start", "body-middle", "tag", "header-nonce", "truncated"])
def test_changed_byte_refused_and_old_target_kept(tmp_path, where):
    key = crypto.new_key()
    src, enc, out = tmp_path / "a.bin", tmp_path / "a.enc", tmp_path / "b.bin"
    src.write_bytes(b"x" * (3 << 20))
    crypto.encrypt_file(src, enc, key)
    blob = bytearray(enc.read_bytes())
    hs = crypto._HEADER.size
    if where == "truncated":
        blob = blob[:-100]
    else:
        pos = {"body-start": hs, "body-middle": len(blob) // 2, "tag": len(blob) - 1, "header-nonce": hs - 20}[where]
        blob[pos] ^= 0x01
    enc.write_bytes(bytes(blob))
    out.write_bytes(b"previous good file")
    with pytest.raises(DecryptionError, match="解密失败|改动"):
        crypto.decrypt_file(enc, out, key)
    assert out.read_bytes() == b"previous good file"
    assert {p.name for p in tmp_path.iterdir()} == {"a.bin", "a.enc", "b.bin"}  # no partial temp file left


def test_not_an_encrypted_file(tmp_path):
    (tmp_path / "x").write_bytes(b"PK\x03\x04 just a zip" * 10)
    with pytest.raises(DecryptionError, match="不是本程序加密的文件"):
        crypto.decrypt_file(tmp_path / "x", tmp_path / "y", crypto.new_key())
