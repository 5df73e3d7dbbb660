/**
 * A Docker-style token service on loopback (the "token" auth of CNCF
 * distribution, docs/spec/auth/token.md, as Harbor and Docker Hub run it):
 * `GET /token?service=…&scope=…` with Basic credentials answers a JWT
 * (ES256, signing certificate in `x5c`) granting the scopes asked for. The
 * real registry, configured with the certificate as its root bundle,
 * verifies every token itself.
 */
import { randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeKeyPair } from './estate.js';
import { makeCertificateAuthority, toPem } from './x509.js';

export interface TokenService {
  realm: string;
  service: string;
  issuer: string;
  rootCertificatePem: string;
  /** Scopes asked for, with who asked (`anonymous` or the user name). */
  requests: { scope: string; user: string }[];
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startTokenService(user: { username: string; password: string }): Promise<TokenService> {
  const pair = makeKeyPair();
  const certificate = makeCertificateAuthority(pair, new Date(Date.now() - 3600_000)).der;
  const service = 'auditpack-test-registry';
  const issuer = 'auditpack-test-token-issuer';
  const requests: TokenService['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [name, password] = basic === undefined ? [] : Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s);
    const scopes = url.searchParams.getAll('scope');
    scopes.forEach((scope) => requests.push({ scope, user: name ?? 'anonymous' }));
    if (url.pathname !== '/token' || name !== user.username || password !== user.password) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.map((scope) => {
      const [type = '', ...rest] = scope.split(':');
      const actions = (rest.pop() ?? '').split(',');
      return { type, name: rest.join(':'), actions };
    });
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [certificate.toString('base64')] }));
    const claims = b64url(
      JSON.stringify({
        iss: issuer,
        sub: name,
        aud: url.searchParams.get('service'),
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomBytes(8).toString('hex'),
        access,
      }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
    const token = `${header}.${claims}.${b64url(signature)}`;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    service,
    issuer,
    rootCertificatePem: toPem(certificate),
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
