/** Loopback ports for the local peers the tests and `npm run local` start (moto_server, MariaDB, stand-ins). */
import * as net from "node:net";

/** A TCP port free on loopback right now (for moto_server, MariaDB and other local peers of the tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
