// The request context lives in app/platform (the audit writer and the sessions take it); the web
// layer re-exports it under its old name.
export { systemContext, type RequestContext } from "../platform/request-context";
