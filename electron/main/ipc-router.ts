/**
 * The main process's single IPC entry point. For every call it checks, in order: the channel is one of ours, the
 * sender frame is a page of the app's own origin, the arguments are exactly one payload that passes the channel's
 * zod schema. Then it runs the handler and validates the handler's response. Everything resolves to an
 * {@link IpcResult}; nothing is thrown across IPC.
 */
import {
  CHANNEL_LIST,
  CHANNEL_SCHEMAS,
  IpcFailure,
  fail,
  isAppUrl,
  isChannel,
  ok,
  type Channel,
  type IpcResult,
  type RequestOf,
  type ResponseOf,
} from '../common/api';

/** The part of Electron's `IpcMainInvokeEvent` the router reads (real events satisfy it structurally). */
export interface InvokeEventLike {
  /** The frame that sent the message; null when it navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string } | null;
  /** The sending WebContents (used by handlers that need the parent window of a dialog). */
  readonly sender?: unknown;
}

/** The part of Electron's `ipcMain` the router uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** What a handler gets besides its validated request. */
export interface HandlerContext {
  /** The sender of the call (Electron `WebContents` in production). */
  readonly sender: unknown;
}

/** One handler per channel; may throw {@link IpcFailure} to fail with a specific code. */
export type ChannelHandlers = {
  [C in Channel]: (request: RequestOf<C>, context: HandlerContext) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** Options of {@link createIpcRouter}. */
export interface IpcRouterOptions {
  /** Decides whether a sender frame URL may call us; defaults to {@link isAppUrl} (`qiview://app/...` only). */
  isTrustedSenderUrl?: (url: string) => boolean;
  /** Where refused calls and handler crashes are reported (defaults to console.warn). */
  log?: (message: string) => void;
}

/** The router: dispatch for tests and for `register`, which binds it to `ipcMain`. */
export interface IpcRouter {
  /** Handles one call as `ipcMain.handle` would deliver it. Never rejects. */
  dispatch(channel: string, event: InvokeEventLike, args: readonly unknown[]): Promise<IpcResult<unknown>>;
  /** Registers a handler for each known channel (and no other); returns a function that removes them. */
  register(ipcMain: IpcMainLike): () => void;
}

function describeIssues(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): string[] {
  return error.issues.slice(0, 20).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/** Builds the router over a full set of channel handlers. */
export function createIpcRouter(handlers: ChannelHandlers, options: IpcRouterOptions = {}): IpcRouter {
  const trusted = options.isTrustedSenderUrl ?? isAppUrl;
  const log = options.log ?? ((m: string) => console.warn(`[ipc] ${m}`));
  for (const channel of CHANNEL_LIST) {
    if (typeof handlers[channel] !== 'function') throw new Error(`no handler for IPC channel ${channel}`);
  }

  async function dispatch(
    channel: string,
    event: InvokeEventLike,
    args: readonly unknown[],
  ): Promise<IpcResult<unknown>> {
    if (!isChannel(channel)) {
      log(`refused unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
      return fail('UNKNOWN_CHANNEL', `unknown IPC channel "${String(channel).slice(0, 80)}"`);
    }
    const url = event?.senderFrame?.url;
    if (typeof url !== 'string' || !trusted(url)) {
      log(`refused ${channel} from foreign sender ${String(url).slice(0, 200)}`);
      return fail('FORBIDDEN_SENDER', `${channel} may only be called by the app's own pages`);
    }
    if (args.length !== 1) {
      return fail(
        'INVALID_REQUEST',
        `${channel} takes exactly one request object, got ${args.length} arguments`,
      );
    }
    const schemas = CHANNEL_SCHEMAS[channel];
    const parsed = schemas.request.safeParse(args[0]);
    if (!parsed.success) {
      return fail('INVALID_REQUEST', `invalid request for ${channel}`, describeIssues(parsed.error));
    }
    let value: unknown;
    try {
      const handler = handlers[channel] as (r: unknown, c: HandlerContext) => unknown;
      value = await handler(parsed.data, { sender: event.sender });
    } catch (e) {
      if (e instanceof IpcFailure) return fail(e.code, e.message);
      const message = e instanceof Error ? e.message : String(e);
      log(`handler for ${channel} crashed: ${e instanceof Error && e.stack ? e.stack : message}`);
      return fail('INTERNAL', `${channel} failed: ${message}`);
    }
    const out = schemas.response.safeParse(value);
    if (!out.success) {
      log(`handler for ${channel} returned an invalid response: ${describeIssues(out.error).join('; ')}`);
      return fail('INTERNAL', `${channel} produced an invalid response`);
    }
    return ok(out.data);
  }

  return {
    dispatch,
    register(ipcMain) {
      for (const channel of CHANNEL_LIST) {
        ipcMain.handle(channel, (event, ...args) => dispatch(channel, event, args));
      }
      return () => {
        for (const channel of CHANNEL_LIST) ipcMain.removeHandler(channel);
      };
    },
  };
}
