/** Base64 without Node's Buffer (the client runs in any runtime with `btoa`). */

function binary(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Standard base64 with padding (RFC 4648 §4). */
export function base64(bytes: Uint8Array): string {
  return btoa(binary(bytes));
}

/** base64url without padding (RFC 4648 §5), as PKCE requires (RFC 7636 §4.2). */
export function base64url(bytes: Uint8Array): string {
  return base64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** `Authorization: Basic` value for client credentials, UTF-8 encoded (RFC 7617 §2.1). */
export function basicAuth(user: string, password: string): string {
  return `Basic ${base64(new TextEncoder().encode(`${user}:${password}`))}`;
}
