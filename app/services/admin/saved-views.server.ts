// Saved views: a staff user's named filters of a list screen (decision 044). A view is only a
// query string the screen reads (checked by the screen's reader before it is saved, by the
// caller); it moves no money and is not audited. Anyone allowed on the screen may open a view by
// its link; only its owner lists it in their menu, makes it their default or deletes it.
import { and, asc, eq, ne } from "drizzle-orm";
import { savedViews, VIEW_SCREEN_VALUES } from "../../../db/schema";
import type { StaffCaller } from "../../domain/caller";
import { invalid, notFound } from "../../domain/errors";
import { db } from "../../platform/db.server";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";

export type ViewScreen = (typeof VIEW_SCREEN_VALUES)[number];
export const VIEW_SCREENS = VIEW_SCREEN_VALUES;

export type SavedView = { id: number; name: string; query: string; isDefault: boolean; mine: boolean };

const columns = {
  id: savedViews.id,
  name: savedViews.name,
  query: savedViews.query,
  isDefault: savedViews.isDefault,
  ownerUserId: savedViews.ownerUserId,
};

const toView = (caller: StaffCaller, row: { ownerUserId: string } & Omit<SavedView, "mine">): SavedView => ({
  id: row.id,
  name: row.name,
  query: row.query,
  isDefault: row.isDefault && row.ownerUserId === caller.userId,
  mine: row.ownerUserId === caller.userId,
});

/** The caller's own views of a screen, by name. */
export async function listViews(caller: StaffCaller, input: { screen: ViewScreen }): Promise<SavedView[]> {
  const rows = await db()
    .select(columns)
    .from(savedViews)
    .where(and(eq(savedViews.ownerUserId, caller.userId), eq(savedViews.screen, input.screen)))
    .orderBy(asc(savedViews.name));
  return rows.map((row) => toView(caller, row));
}

/** A view of the screen by its id (anyone's: a link to a view opens it), or null. */
export async function findView(caller: StaffCaller, input: { screen: ViewScreen; viewId: number }) {
  const [row] = await db()
    .select(columns)
    .from(savedViews)
    .where(and(eq(savedViews.id, input.viewId), eq(savedViews.screen, input.screen)));
  return row ? toView(caller, row) : null;
}

/** The caller's default view of the screen, or null. */
export async function defaultView(caller: StaffCaller, input: { screen: ViewScreen }) {
  const [row] = await db()
    .select(columns)
    .from(savedViews)
    .where(
      and(
        eq(savedViews.ownerUserId, caller.userId),
        eq(savedViews.screen, input.screen),
        eq(savedViews.isDefault, true),
      ),
    );
  return row ? toView(caller, row) : null;
}

/**
 * Saves the screen's current filters under a name (the query already checked by the screen's
 * reader). Saving under a name the caller already uses replaces that view's filters.
 */
export async function saveView(
  caller: StaffCaller,
  input: { screen: ViewScreen; name: string; query: string },
): Promise<SavedView> {
  try {
    const [row] = await db()
      .insert(savedViews)
      .values({ ownerUserId: caller.userId, screen: input.screen, name: input.name, query: input.query })
      .onConflictDoUpdate({
        target: [savedViews.ownerUserId, savedViews.screen, savedViews.name],
        set: { query: input.query, updatedAt: new Date() },
      })
      .returning(columns);
    return toView(caller, row);
  } catch (error) {
    if (violatedConstraint(error) === "saved_views_owner_screen_name_uq")
      throw invalid("name", "is taken", { key: "errors.form.viewNameTaken" });
    throw error;
  }
}

/** Makes one of the caller's views their default on its screen (or not): at most one per screen. */
export async function setDefaultView(
  caller: StaffCaller,
  input: { screen: ViewScreen; viewId: number; isDefault: boolean },
): Promise<SavedView> {
  return inTransaction(async (tx) => {
    const own = and(eq(savedViews.ownerUserId, caller.userId), eq(savedViews.screen, input.screen));
    // Lock the caller's views of the screen in id order, so two tabs cannot leave two defaults.
    const views = await tx.select(columns).from(savedViews).where(own).orderBy(asc(savedViews.id)).for("update");
    if (!views.some((view) => view.id === input.viewId)) throw notFound("View", input.viewId);
    if (input.isDefault)
      await tx
        .update(savedViews)
        .set({ isDefault: false, updatedAt: new Date() })
        .where(and(own, ne(savedViews.id, input.viewId), eq(savedViews.isDefault, true)));
    const [row] = await tx
      .update(savedViews)
      .set({ isDefault: input.isDefault, updatedAt: new Date() })
      .where(eq(savedViews.id, input.viewId))
      .returning(columns);
    return toView(caller, row);
  });
}

/** Deletes one of the caller's views; someone else's is not theirs to delete (not found). */
export async function deleteView(caller: StaffCaller, input: { screen: ViewScreen; viewId: number }) {
  const deleted = await db()
    .delete(savedViews)
    .where(
      and(
        eq(savedViews.id, input.viewId),
        eq(savedViews.screen, input.screen),
        eq(savedViews.ownerUserId, caller.userId),
      ),
    )
    .returning({ name: savedViews.name });
  if (deleted.length === 0) throw notFound("View", input.viewId);
  return deleted[0];
}
