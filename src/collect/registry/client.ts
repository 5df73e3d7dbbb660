import { createHash } from 'node:crypto';
import { isRecord } from '../../util/wire.js';
import { RemoteError, displayUrl } from '../remote/errors.js';
import type { HttpRequest, HttpResponse } from '../remote/http.js';
import { nextLink, parseJson, unexpectedStatus } from '../remote/response.js';
import type { RegistrySession } from './auth.js';
import { DIGEST, MANIFEST_ACCEPT, MEDIA } from './media-types.js';

export interface RegistryLimits {
  /** Largest manifest read (distribution itself refuses manifests over 4 MiB). */
  maxManifestBytes: number;
  /** Largest blob (signature payload, attestation envelope, bundle, SBOM) read. */
  maxBlobBytes: number;
}

export const DEFAULT_LIMITS: RegistryLimits = { maxManifestBytes: 4 * 2 ** 20, maxBlobBytes: 64 * 2 ** 20 };

/** A manifest or index exactly as the registry served it, checked against its digest. */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  json: Record<string, unknown>;
}

const MAX_PAGES = 10_000;

/** Read-only OCI distribution API calls (distribution-spec v1.1): catalog, manifests, blobs, referrers. */
export class RegistryClient {
  constructor(
    private readonly session: RegistrySession,
    readonly limits: RegistryLimits = DEFAULT_LIMITS,
  ) {}

  get registry(): URL {
    return this.session.registry;
  }

  /** Every repository name in `/v2/_catalog`, following `Link: rel="next"` pages. */
  async catalog(): Promise<string[]> {
    const names: string[] = [];
    let url: URL | undefined = this.url('/v2/_catalog?n=1000');
    for (let page = 0; url !== undefined && page < MAX_PAGES; page += 1) {
      const request: HttpRequest = { url, maxBytes: this.limits.maxManifestBytes, what: 'the repository catalog (/v2/_catalog)' };
      const response = await this.session.send(request, 'registry:catalog:*').catch((thrown: unknown) => {
        // A token without catalog access is answered with a second 401: the usual case on Harbor.
        throw thrown instanceof RemoteError && thrown.code === 'COLLECT_AUTH_FAILED' && !thrown.fatal ? catalogRefused(undefined, request) : thrown;
      });
      if (response.status !== 200) throw catalogRefused(response, request);
      const json = parseJson(response, request);
      const list = isRecord(json) ? json.repositories : undefined;
      if (!Array.isArray(list)) throw new RemoteError('COLLECT_BAD_RESPONSE', displayUrl(url), 'the catalog answer has no "repositories" list');
      names.push(...list.filter((n): n is string => typeof n === 'string'));
      url = list.length === 0 ? undefined : nextLink(response, url);
    }
    return names;
  }

  /** A manifest by tag or digest; undefined when the registry says it does not exist (404). */
  async manifest(
    repository: string,
    reference: string,
    what = `manifest ${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`,
  ): Promise<FetchedManifest | undefined> {
    const request: HttpRequest = {
      url: this.url(`/v2/${repository}/manifests/${reference}`),
      headers: { accept: MANIFEST_ACCEPT },
      maxBytes: this.limits.maxManifestBytes,
      what,
    };
    const response = await this.session.send(request, pullScope(repository));
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw unexpectedStatus(response, request);
    const digest = `sha256:${sha256(response.body)}`;
    const where = displayUrl(request.url);
    const claimed = response.headers.get('docker-content-digest');
    if (DIGEST.test(reference) && reference !== digest) throw mismatch(where, what, reference, digest);
    if (claimed !== null && claimed.startsWith('sha256:') && claimed !== digest) throw mismatch(where, what, claimed, digest);
    const json = parseJson(response, request);
    if (!isRecord(json) || json.schemaVersion !== 2) {
      throw new RemoteError(
        'COLLECT_BAD_RESPONSE',
        where,
        `${what}: not an OCI or Docker schema 2 manifest${isRecord(json) && json.schemaVersion === 1 ? ' (Docker schema 1 is not supported)' : ''}`,
      );
    }
    const headerType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const mediaType = typeof json.mediaType === 'string' ? json.mediaType : headerType || MEDIA.ociManifest;
    return { digest, mediaType, bytes: response.body, json };
  }

  /** A blob by digest, at most `maxBytes`, checked against its digest; undefined on 404. */
  async blob(repository: string, digest: string, what: string): Promise<Buffer | undefined> {
    const request: HttpRequest = { url: this.url(`/v2/${repository}/blobs/${digest}`), maxBytes: this.limits.maxBlobBytes, what };
    const response = await this.session.send(request, pullScope(repository));
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw unexpectedStatus(response, request);
    const actual = `sha256:${sha256(response.body)}`;
    if (actual !== digest) throw mismatch(displayUrl(request.url), what, digest, actual);
    return response.body;
  }

  /**
   * The OCI 1.1 referrers of a digest: every page of the index the API
   * returns, or `unsupported` when the registry does not implement the API
   * (distribution 2.8 answers 404), so the caller falls back to the tag scheme.
   */
  async referrers(repository: string, digest: string): Promise<FetchedManifest[] | 'unsupported'> {
    const pages: FetchedManifest[] = [];
    let url: URL | undefined = this.url(`/v2/${repository}/referrers/${digest}`);
    for (let page = 0; url !== undefined && page < MAX_PAGES; page += 1) {
      const request: HttpRequest = {
        url,
        headers: { accept: MEDIA.ociIndex },
        maxBytes: this.limits.maxManifestBytes,
        what: `referrers of ${repository}@${digest}`,
      };
      const response = await this.session.send(request, pullScope(repository));
      if (page === 0 && [400, 404, 405, 501].includes(response.status)) return 'unsupported';
      if (response.status !== 200) throw unexpectedStatus(response, request);
      const json = parseJson(response, request);
      if (!isRecord(json) || !Array.isArray(json.manifests))
        throw new RemoteError('COLLECT_BAD_RESPONSE', displayUrl(url), `${request.what}: not an image index`);
      pages.push({ digest: `sha256:${sha256(response.body)}`, mediaType: MEDIA.ociIndex, bytes: response.body, json });
      url = nextLink(response, url);
    }
    return pages;
  }

  private url(path: string): URL {
    return new URL(path, this.session.registry);
  }
}

export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function mismatch(where: string, what: string, expected: string, actual: string): RemoteError {
  return new RemoteError(
    'COLLECT_DIGEST_MISMATCH',
    where,
    `${what}: the content hashes to ${actual}, not ${expected}; refused (altered in transit or by the server)`,
  );
}

function catalogRefused(response: HttpResponse | undefined, request: HttpRequest): RemoteError {
  if (response === undefined || [401, 403, 404].includes(response.status)) {
    const status = response === undefined ? 401 : response.status;
    return new RemoteError(
      'COLLECT_AUTH_FAILED',
      displayUrl(request.url),
      `the registry does not list its catalog to these credentials (${status}; Harbor lists it to system administrators only): name each repository without wildcards instead`,
    );
  }
  return unexpectedStatus(response, request);
}
