import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A loopback server that answers `GET /<name>` with the file of that name in `folder` (as XML), and 404 otherwise. */
export async function serveFeedFolder(folder: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    try {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(readFileSync(path.join(folder, path.basename(req.url ?? '/'))));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
