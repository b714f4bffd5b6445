// Saved views on a list screen (decision 044): the intents of its Views menu, and what the
// screen's loader does with `?view=`. A view is the screen's query string; `?view=ID` on its own
// opens the view (anyone allowed on the screen may open anyone's by link), a screen opened with
// no query at all opens the user's default view, and `?view=all` is the way back to everything.
import { redirect } from "@remix-run/node";
import type { StaffCaller } from "../../domain/caller";
import { invalid } from "../../domain/errors";
import {
  defaultView,
  deleteView,
  findView,
  listViews,
  saveView,
  setDefaultView,
  type ViewScreen,
} from "../../services/admin/saved-views.server";
import { intent, type StaffIntent } from "./action.server";
import { DefaultViewForm, SaveViewForm, ViewIdForm } from "./forms/saved-views";
import { VIEW_SCREENS } from "./list-screens.server";

export const VIEW_PARAM = "view";
/** `?view=all`: the screen without any view, not even the default. */
export const NO_VIEW = "all";

/** The query a view keeps: the screen's filters, sort and range, without paging or the view itself. */
export function viewQuery(screen: ViewScreen, params: URLSearchParams): string {
  const kept = new URLSearchParams(params);
  for (const name of [...VIEW_SCREENS[screen].paging, VIEW_PARAM]) kept.delete(name);
  return kept.toString();
}

/** The Views menu's intents on `screen`'s route, allowed to whoever may read the screen. */
export function savedViewIntents(screen: ViewScreen): Record<string, StaffIntent> {
  const { permission, check } = VIEW_SCREENS[screen];
  return {
    saveView: intent({
      permission,
      reason: "optional",
      schema: SaveViewForm,
      run: async ({ input, caller, user, t, language }) => {
        const params = new URLSearchParams(input.query);
        // Read by the screen's own reader: a view that would not open is never saved.
        if (!check(params, user.timeZone, language).ok)
          throw invalid("query", "has filters the screen does not accept", { key: "errors.form.viewFilters" });
        const view = await saveView(caller, { screen, name: input.name, query: viewQuery(screen, params) });
        return { message: t("toasts.views.saved", { name: view.name }), data: { viewId: view.id } };
      },
    }),
    setDefaultView: intent({
      permission,
      reason: "optional",
      schema: DefaultViewForm,
      run: async ({ input, caller, t }) => {
        const view = await setDefaultView(caller, { screen, viewId: input.viewId, isDefault: input.isDefault });
        return {
          message: view.isDefault
            ? t("toasts.views.default", { name: view.name })
            : t("toasts.views.notDefault", { name: view.name }),
        };
      },
    }),
    deleteView: intent({
      permission,
      reason: "optional",
      schema: ViewIdForm,
      run: async ({ input, caller, t }) => {
        const view = await deleteView(caller, { screen, viewId: input.viewId });
        return { message: t("toasts.views.deleted", { name: view.name }) };
      },
    }),
  };
}

export type ViewState = {
  /** The caller's own views of the screen, for the menu. */
  views: { id: number; name: string; isDefault: boolean }[];
  /** The view the screen shows, if any (its chip). */
  current: { id: number; name: string; mine: boolean } | null;
  /** `?view=` named a view that does not exist (or of another screen). */
  missing: boolean;
};

/**
 * The loader's first step on a screen with views: redirects `?view=ID` alone to the view's query
 * (with `view=ID` kept for the chip), and a bare screen to the user's default view; otherwise
 * answers the params without `view` for the screen's own reader, and the menu's state.
 */
export async function resolveViews(
  screen: ViewScreen,
  request: Request,
  caller: StaffCaller,
): Promise<{ params: URLSearchParams; state: ViewState }> {
  const url = new URL(request.url);
  const params = new URLSearchParams(url.searchParams);
  const requested = params.get(VIEW_PARAM);
  params.delete(VIEW_PARAM);
  const views = (await listViews(caller, { screen })).map(({ id, name, isDefault }) => ({ id, name, isDefault }));
  const open = (view: { id: number; query: string }) => {
    const query = new URLSearchParams(view.query);
    query.set(VIEW_PARAM, String(view.id));
    return redirect(`${url.pathname}?${query}`);
  };
  if (requested === null && url.search === "") {
    const fallback = await defaultView(caller, { screen });
    if (fallback) throw open(fallback);
    return { params, state: { views, current: null, missing: false } };
  }
  if (requested === null || requested === NO_VIEW) return { params, state: { views, current: null, missing: false } };
  const view = /^[1-9][0-9]{0,15}$/.test(requested)
    ? await findView(caller, { screen, viewId: Number(requested) })
    : null;
  if (!view) return { params, state: { views, current: null, missing: true } };
  // The view's link alone: open its filters.
  if ([...params.keys()].length === 0 && view.query !== "") throw open(view);
  return { params, state: { views, current: { id: view.id, name: view.name, mine: view.mine }, missing: false } };
}
