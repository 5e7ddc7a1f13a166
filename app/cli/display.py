"""Can a window open here? Asked before Qt starts, because Qt aborts the process (exit 134, English messages) when
its platform plugin cannot load or its display cannot be reached.

Linux only: the X11 plugin's system libraries are looked for by their file names, and the display is reached the
way Qt's xcb plugin reaches it (libxcb's xcb_connect, honouring DISPLAY and XAUTHORITY); a Wayland display is
its socket. A few milliseconds, no Qt, no child process.
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys
from pathlib import Path

# What Qt's X11 plugin (libqxcb.so, libQt6XcbQpa.so) links against, by Debian / UOS / Kylin package.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1", "libX11-xcb.so.1": "libx11-xcb1", "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1", "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}

NO_DESKTOP = ("没有图形桌面环境，无法打开窗口；可使用命令行（govdata --help），"
              "或在桌面环境中运行。")
# platforms that need no display (tests, remote rendering)
HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}


def missing_libraries() -> list[str]:
    """Debian package names of the X11 plugin's libraries that cannot be loaded."""
    missing = []
    for soname, package in XCB_LIBRARIES.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(package)
    return missing


def x11_reachable(display: str) -> bool:
    """Whether an X server accepts a connection on `display`, as Qt's xcb plugin would make it."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return False
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        return bool(conn) and xcb.xcb_connection_has_error(conn) == 0
    finally:
        if conn:
            xcb.xcb_disconnect(conn)  # frees the connection object even when it is in error


def wayland_reachable(name: str) -> bool:
    path = Path(name) if os.path.isabs(name) else Path(os.environ.get("XDG_RUNTIME_DIR", "/nonexistent")) / name
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect(str(path))
    except OSError:
        return False
    return True


def desktop_problem() -> str | None:
    """None when a window can open; else the Chinese message saying why not (and what to install)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = (os.environ.get("QT_QPA_PLATFORM") or "").split(":", 1)[0].strip().lower()
    if platform in HEADLESS_PLATFORMS:
        return None
    display, wayland = os.environ.get("DISPLAY"), os.environ.get("WAYLAND_DISPLAY")
    if platform in ("", "wayland") and wayland and wayland_reachable(wayland):
        return None
    if platform in ("", "xcb") and display:
        missing = missing_libraries()
        if missing:
            return ("无法打开窗口：缺少图形界面所需的系统库。请由管理员安装后再试："
                    f"sudo apt install {' '.join(missing)}")
        if x11_reachable(display):
            return None
        return f"无法连接图形桌面（DISPLAY={display}）。" + NO_DESKTOP
    if platform not in ("", "xcb", "wayland"):
        return None  # a platform we do not know how to probe: let Qt say
    return NO_DESKTOP
