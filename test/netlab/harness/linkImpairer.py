#!/usr/bin/env python3
"""One peer's link in the namespace lab, as a program: netem's delay and loss where the kernel
has no sch_netem (this machine's does not). Two TUN devices, one in the peer's namespace and one
in the router's, joined by this process, which passes IP packets between them and delays and
drops what the peer sends by the current impairment.

usage: linkImpairer.py PEER_NETNS PEER_TUN ROUTER_NETNS ROUTER_TUN
Prints "ready" once both devices are attached. Each stdin line "DELAY_MS LOSS_PERCENT" sets the
impairment ("0 0" clears it); it exits when stdin closes, so it never outlives the test process.
"""
import ctypes
import fcntl
import heapq
import os
import random
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000


def enter_namespace(path):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {path}")
    finally:
        os.close(fd)


def open_tun(name):
    """Attaches to the TUN device of this name in the current namespace."""
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


def main():
    peer_ns, peer_tun, router_ns, router_tun = sys.argv[1:5]
    enter_namespace(peer_ns)
    peer = open_tun(peer_tun)
    enter_namespace(router_ns)
    router = open_tun(router_tun)
    print("ready", flush=True)

    delay_s, loss = 0.0, 0.0
    queue = []  # (due, order, packet) on the way from the peer to the router
    order = 0
    stdin = sys.stdin.fileno()
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else None
        readable, _, _ = select.select([peer, router, stdin], [], [], timeout)
        if stdin in readable:
            line = os.read(stdin, 4096)
            if not line:
                return
            fields = line.decode().split()
            delay_s, loss = float(fields[0]) / 1000, float(fields[1]) / 100
        if peer in readable:
            while True:
                try:
                    packet = os.read(peer, 65536)
                except BlockingIOError:
                    break
                if random.random() >= loss:
                    heapq.heappush(queue, (time.monotonic() + delay_s, order, packet))
                    order += 1
        if router in readable:
            while True:
                try:
                    packet = os.read(router, 65536)
                except BlockingIOError:
                    break
                forward(peer, packet)
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            forward(router, heapq.heappop(queue)[2])


def forward(fd, packet):
    try:
        os.write(fd, packet)
    except (BlockingIOError, OSError):
        pass  # a full or downed device drops the packet, as a real link would


if __name__ == "__main__":
    main()
