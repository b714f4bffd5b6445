// The attributes of every cookie Paydesk sets (staff and customer sessions, the device cookie):
// Path=/; HttpOnly; SameSite=Lax, and Secure whenever the request came over HTTPS and always
// when PAYDESK_COOKIE_SECURE=true (set by the server when NODE_ENV=production).
export function cookieAttributes(request: Request): string {
  const secure = process.env.PAYDESK_COOKIE_SECURE === "true" || new URL(request.url).protocol === "https:";
  return `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}
