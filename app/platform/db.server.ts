// The process's database handle for staff route modules. A `.server` module, so the browser
// bundle never follows the import into db/client (postgres.js, PGlite), which resource routes
// may import directly because they have no browser side.
export { db } from "../../db/client";
