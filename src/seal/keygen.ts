import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { encryptCosignKey } from './cosign-key.js';
import { keyAlgorithm, keyFingerprint } from './keys.js';

export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256';
export type KeyFormat = 'pem' | 'cosign';

export interface KeygenOptions {
  algorithm: KeyAlgorithm;
  format: KeyFormat;
  /** PEM: encrypts the private key when given. cosign: always required (it may be empty, as with cosign). */
  passphrase?: string;
}

/** One file `auditpack keygen` writes: its name suffix, content and permission bits. */
export interface KeyFile {
  suffix: string;
  content: string;
  mode: number;
  /** What the file is, for the command's summary. */
  role: string;
}

export interface GeneratedKey {
  /** Written in this order; a later option (a certificate for PDF signing) adds a file, nothing else changes. */
  files: KeyFile[];
  fingerprint: string;
  algorithm: string;
  encrypted: boolean;
}

/**
 * Makes a seal key pair. Ed25519 by default: its signatures are
 * deterministic, so the same inputs, clock and key give a byte-identical
 * bundle. ECDSA P-256 for tooling that wants it (cosign's own default).
 */
export async function generateSealKey(options: KeygenOptions): Promise<GeneratedKey> {
  const { privateKey, publicKey } = options.algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = await exportPrivateKey(privateKey, options);
  return {
    files: [
      { suffix: '.key', content: privatePem, mode: 0o600, role: privateRole(options) },
      {
        suffix: '.pub',
        content: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        mode: 0o644,
        role: 'public key (give it to verifiers; `auditpack verify --key`)',
      },
    ],
    fingerprint: keyFingerprint(publicKey),
    algorithm: keyAlgorithm(publicKey),
    encrypted: options.format === 'cosign' || options.passphrase !== undefined,
  };
}

async function exportPrivateKey(privateKey: KeyObject, options: KeygenOptions): Promise<string> {
  if (options.format === 'cosign') {
    return encryptCosignKey(privateKey.export({ type: 'pkcs8', format: 'der' }), options.passphrase ?? '');
  }
  if (options.passphrase === undefined) return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: options.passphrase }).toString();
}

function privateRole(options: KeygenOptions): string {
  if (options.format === 'cosign') return 'private key, cosign format (password from COSIGN_PASSWORD)';
  return options.passphrase === undefined ? 'private key, PEM, NOT encrypted' : 'private key, encrypted PEM';
}
