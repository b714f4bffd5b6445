export const shell = {
  openNavigation: "Open navigation",
  closeNavigation: "Close navigation",
  mainNavigation: "Main navigation",
  accountTitle: "Your account: password, second factor and language",
  role: "Role: {{role}}",
  waiting: "{{count}} waiting",
  timesIn: "Times in {{timeZone}}",
  yourAccount: "Your account",
  logOut: "Log out",
  sections: { finance: "Finance", admin: "Admin" },
  roles: { support: "support", finance: "finance", admin: "admin" },
  skipToMain: "Skip to main content",
  areas: {
    dashboard: "Dashboard",
    payments: "Payments",
    credits: "Credits",
    work: "Work queue",
    operationLog: "Operation log",
    callbacks: "Callbacks",
    customers: "Customers",
    settlements: "Settlements",
    paymentMethods: "Payment methods",
    auditLog: "Audit log",
    users: "Users",
    apiClients: "API clients",
    chargebacks: "Chargebacks",
    reconciliation: "Reconciliation",
  },
  summaries: {
    dashboard:
      "Captured, credited and net volume over a chosen range, by day and by payment type group, with counts and the top payment types.",
    payments: "Find a payment by order, customer, card last 4, RRN, amount or date, and act on it.",
    credits:
      "Find credits with the same filters as payments, create a credit from chosen transactions and execute it with a confirmation.",
    work: "Credits waiting for a second staff user and provider operations whose outcome is not known yet, for those who can act on them.",
    operationLog:
      "Every operation across payments, filterable by operation, time, client, POS, channel and correlation id.",
    callbacks:
      "Every callback to API clients with its attempts, state and next retry; admins resend them and pause a client's target.",
    customers:
      "A customer's payments, credits, recurring payments, agreements, products and invoices by customer number.",
    settlements:
      "Captured, credited and net amounts and counts per settlement id and day, with drill-down to the transactions and CSV export.",
    paymentMethods: "Enable or disable each payment method per API client and distribution channel, with a reason.",
    auditLog: "Who did what, when, from where, with the before and after of every staff action. Read-only.",
    users: "Create staff users, set their roles and disable them, which ends their sessions at once.",
    apiClients: "Create and disable API clients and rotate their tokens.",
    chargebacks:
      "Card-scheme disputes on captured transactions: open, add evidence before the due date, and record whether they were won or lost.",
    reconciliation:
      "Upload a provider's settlement report and see per settlement what matches, what is missing on either side, what differs, and the fees.",
  },
};
