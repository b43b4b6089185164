// One read-only GET against the API server with the kubeconfig's TLS and credentials, and a hard time limit.
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type GetResult =
  | { readonly kind: 'ok'; readonly body: unknown }
  | { readonly kind: 'status'; readonly status: number; readonly message: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly message: string };

/** Bodies larger than this are refused: a list page of 500 objects is far smaller. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/**
 * GETs `url` as JSON. The whole exchange (connect, headers, body) must finish within `timeoutMs`; nothing is
 * retried. Never throws: every outcome is a result.
 */
export function getJson(url: URL, options: RequestOptions, timeoutMs: number): Promise<GetResult> {
  return new Promise((resolve) => {
    const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const headers = { ...(options.headers as Record<string, string> | undefined), Accept: 'application/json' };
    let settled = false;
    const finish = (result: GetResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(url, { ...options, method: 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy();
          finish({ kind: 'network', message: `response larger than ${MAX_BODY_BYTES} bytes` });
        } else chunks.push(chunk);
      });
      response.on('error', (error) => finish({ kind: 'network', message: error.message }));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        let body: unknown;
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          body = undefined;
        }
        if (status >= 200 && status < 300 && body !== undefined) finish({ kind: 'ok', body });
        else if (status >= 200 && status < 300) finish({ kind: 'network', message: 'the response is not JSON' });
        else finish({ kind: 'status', status, message: statusMessage(body, text) });
      });
    });
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => finish({ kind: 'network', message: error.message }));
    req.end();
  });
}

/** The message of a Kubernetes `Status` body, or the start of the text. */
function statusMessage(body: unknown, text: string): string {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return text.slice(0, 200).trim();
}
