'use client';
// Multipart upload through the proxy with XHR, for upload.onprogress (frontends.md §2.2).
import { ApiError, unwrap } from './api/envelope';
import { CLIENT_HEADER, refreshOnce, sessionExpired } from './api/client';

function once(url: string, form: FormData, onProgress: (pct: number) => void): Promise<{ status: number; body: unknown; requestId: string | null }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(CLIENT_HEADER)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body, requestId: xhr.getResponseHeader('x-request-id') });
    };
    xhr.onerror = () => reject(new ApiError(0, 'Network error, please try again'));
    xhr.ontimeout = () => reject(new ApiError(0, 'The upload timed out, please try again'));
    xhr.timeout = 125_000;
    xhr.send(form);
  });
}

/** Sends the form (the kept File is re-sent after one refresh on 401); returns `data` or throws ApiError. */
export async function uploadForm<T>(url: string, makeForm: () => FormData, onProgress: (pct: number) => void): Promise<T> {
  let res = await once(url, makeForm(), onProgress);
  if (res.status === 401) {
    if (!(await refreshOnce())) sessionExpired();
    onProgress(0);
    res = await once(url, makeForm(), onProgress);
    if (res.status === 401) sessionExpired();
  }
  return unwrap<T>(res.status, res.body, res.requestId).data;
}
