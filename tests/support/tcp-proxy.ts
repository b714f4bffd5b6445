// A TCP proxy between the app and PostgreSQL that a test can break on purpose: `cut()` drops
// every connection and refuses new ones (a stopped server), `hang()` accepts and swallows
// everything (a hung server or a black-holed network), `restore()` forwards again.
import net from "node:net";
import type { AddressInfo } from "node:net";

export type TcpProxy = {
  port: number;
  cut(): void;
  hang(): void;
  restore(): void;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: "forward" | "cut" | "hang" = "forward";
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === "cut") return client.destroy();
    if (mode === "hang") return client.on("data", () => {}); // read and drop
    const upstream = net.connect(target);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      mode = "cut";
      dropAll();
    },
    hang() {
      mode = "hang";
      // Open connections stop forwarding too: the database simply stops answering.
      for (const socket of sockets) {
        socket.unpipe();
        socket.removeAllListeners("data");
        socket.on("data", () => {});
      }
    },
    restore() {
      mode = "forward";
      dropAll(); // hung connections are dead to the driver; new ones forward again
    },
    close: async () => {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
