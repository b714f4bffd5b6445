// The Content-Security-Policy nonce of the response being rendered (server/http-guards.ts makes
// one per request): the server renders it onto the page's inline scripts. In the browser it is
// undefined, and needs no value: the scripts already ran, and browsers hide a nonce anyway.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
