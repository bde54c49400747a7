"""Take network access away from a process: the query processes cannot call out.

A SPARQL engine evaluates SERVICE by opening a connection to the endpoint it names. The server
refuses such queries before they run, but a check written outside the engine can misread a query
the engine reads differently; so, unless federation is allowed, each query process gives up the
network for good before it opens the store. A seccomp filter makes `socket()` fail with EACCES for
every address family but AF_UNIX (the pipe to the serving process is inherited, never opened) and
refuses io_uring, which can open sockets without that system call. No privileges are needed, and a
filter can never be removed by the process or its children.
"""

import ctypes
import errno
import platform
import struct

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2

# Classic BPF, as seccomp runs it over struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6]}.
_LD_ABS_W = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0 = 0, 4, 16

_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_KILL_PROCESS = 0x80000000

_AF_UNIX = 1
# Per architecture: the audit arch value, socket's and io_uring_setup's system call numbers.
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
# x86_64 also accepts x32 system calls, numbered from this bit: none are allowed.
_X32_BIT = 0x40000000


def _statement(code: int, k: int) -> bytes:
    return struct.pack("HBBI", code, 0, 0, k)


def _jump(code: int, k: int, true: int, false: int) -> bytes:
    return struct.pack("HBBI", code, true, false, k)


def network_filter(machine: str) -> bytes:
    """Return the seccomp program (BPF) that denies sockets other than AF_UNIX on `machine`."""
    arch, socket_nr, io_uring_nr = _ARCHES[machine]
    denied = _ERRNO | errno.EACCES
    program = [
        _statement(_LD_ABS_W, _OFFSET_ARCH),
        _jump(_JEQ_K, arch, 1, 0),
        _statement(_RET_K, _KILL_PROCESS),  # a foreign ABI could name other system calls
        _statement(_LD_ABS_W, _OFFSET_NR),
        _jump(_JGE_K, _X32_BIT, 5, 0),
        _jump(_JEQ_K, io_uring_nr, 4, 0),
        _jump(_JEQ_K, socket_nr, 0, 2),
        _statement(_LD_ABS_W, _OFFSET_ARG0),
        _jump(_JEQ_K, _AF_UNIX, 0, 1),
        _statement(_RET_K, _ALLOW),
        _statement(_RET_K, denied),
    ]
    # Each conditional jump above is counted in instructions from the one after it.
    return b"".join(program)


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> bool:
    """Install the filter in this process; return whether the process is now without network.

    Returns False, changing nothing, where the filter cannot be installed (another platform, or a
    kernel or container that refuses seccomp): the caller then must not rely on it.
    """
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in _ARCHES:
        return False
    code = network_filter(machine)
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _Program(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        return False
    return prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0
