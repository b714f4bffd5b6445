// The stylesheet of the staff list screens (list-screen.css), linked by each of them the same way.
import type { LinksFunction } from "@remix-run/node";
import listScreenStyles from "./list-screen.css";

export const listScreenLinks: LinksFunction = () => [{ rel: "stylesheet", href: listScreenStyles }];
