'use client';
// True once this part of the page is hydrated (false in the server HTML and during hydration). Buttons that
// need JavaScript stay disabled until then, so a click before hydration is not lost and a form is never
// submitted natively (which would put its fields, passwords included, into the URL).
import { useSyncExternalStore } from 'react';

const noopSubscribe = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
}
