/**
 * Starts a throwaway Orthanc (Debian `Orthanc` + DICOMweb plugin) on free loopback ports with its storage in a temp
 * dir, no authentication. Recipe: /work/shared/guides/stack.md ("Orthanc recipe that worked").
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary, freePort, ServerUnavailable, spawnChild, stopChild, waitUntil } from './process-helpers';

/** The DICOMweb plugin shipped by Debian's `orthanc-dicomweb`. */
export const ORTHANC_DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** A running Orthanc. */
export interface OrthancServer {
  /** REST root, e.g. http://127.0.0.1:8042 (no trailing slash). */
  url: string;
  /** DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web (no trailing slash). */
  dicomWebUrl: string;
  /** DICOM (DIMSE) port. */
  dicomPort: number;
  /** Uploads one Part 10 file through REST `POST /instances`; returns Orthanc's answer (ID, Status). */
  upload(bytes: Uint8Array): Promise<{ ID: string; Status: string }>;
  /** Stops the server and removes its temp dir. */
  stop(): Promise<void>;
}

/** Why Orthanc cannot run here, or null when it can. */
export function orthancUnavailableReason(): string | null {
  if (!findBinary(['Orthanc', '/usr/sbin/Orthanc']))
    return 'Orthanc binary not found (apt-get install -y orthanc orthanc-dicomweb)';
  if (!existsSync(ORTHANC_DICOMWEB_PLUGIN))
    return `Orthanc DICOMweb plugin not found at ${ORTHANC_DICOMWEB_PLUGIN} (apt-get install -y orthanc-dicomweb)`;
  return null;
}

/**
 * Starts Orthanc; throws {@link ServerUnavailable} when it is not installed. `settings` are added to its
 * configuration (e.g. `{ LimitFindResults: 2 }`, a server that caps its find answers).
 */
export async function startOrthanc(settings: Record<string, unknown> = {}): Promise<OrthancServer> {
  const why = orthancUnavailableReason();
  if (why) throw new ServerUnavailable(why);
  const bin = findBinary(['Orthanc', '/usr/sbin/Orthanc'])!;
  const dir = await mkdtemp(path.join(tmpdir(), 'qiview-orthanc-'));
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const config = {
    Name: 'QiviewTest',
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpsVerifyPeers: false,
    StorageCompression: false,
    Plugins: [ORTHANC_DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: true },
    ...settings,
  };
  const cfgPath = path.join(dir, 'orthanc.json');
  await writeFile(cfgPath, JSON.stringify(config, null, 2));
  const child = spawnChild(bin, [cfgPath], { cwd: dir });
  const url = `http://127.0.0.1:${httpPort}`;
  try {
    await waitUntil('Orthanc', async () => (await fetch(`${url}/system`)).ok, child);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    dicomWebUrl: `${url}/dicom-web`,
    dicomPort,
    async upload(bytes) {
      const r = await fetch(`${url}/instances`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/dicom' },
        body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`Orthanc upload failed: HTTP ${r.status} ${text}`);
      return JSON.parse(text) as { ID: string; Status: string };
    },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
