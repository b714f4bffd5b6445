// English: the source locale. Its shape types every key (app/i18n/i18next.d.ts) and every other
// locale (types.ts). One module per group of screens.
import { actions } from "./actions";
import { admin } from "./admin";
import { amount } from "./amount";
import { auth } from "./auth";
import { common } from "./common";
import { customer } from "./customer";
import { dashboard } from "./dashboard";
import { bulk, credits, work } from "./credits";
import { customers } from "./customers";
import { errors } from "./errors";
import { toasts } from "./toasts";
import { enums } from "./enums";
import { filters } from "./filters";
import { lists } from "./lists";
import { log } from "./log";
import { me } from "./me";
import { payment } from "./payment";
import { payments } from "./payments";
import { search } from "./search";
import { shell } from "./shell";
import { callbacks } from "./callbacks";
import { chargebacks } from "./chargebacks";
import { listTools } from "./listTools";
import { operationLog } from "./operationLog";
import { reconciliation } from "./reconciliation";
import { settlements } from "./settlements";

export const en = {
  common,
  shell,
  auth,
  actions,
  enums,
  lists,
  me,
  dashboard,
  errors,
  toasts,
  credits,
  bulk,
  work,
  customers,
  payments,
  payment,
  filters,
  amount,
  log,
  customer,
  callbacks,
  chargebacks,
  listTools,
  operationLog,
  reconciliation,
  settlements,
  admin,
  search,
};
