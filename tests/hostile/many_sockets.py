"""Opens hundreds of listening sockets and connections and never closes them."""

import asyncio
import socket

N = 300


async def main():
    servers = []
    for _ in range(N):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen()
        servers.append(s)
    print(f"listening on port {servers[0].getsockname()[1]}")
    conns = []
    for s in servers[:100]:
        _r, w = await asyncio.open_connection(*s.getsockname())
        conns.append(w)
    print(f"{len(servers)} sockets listening, {len(conns)} connections open")
