export const customer = {
  forClient: "For {{client}} · logged in as {{customer}}",
  continueTo: "Continue to {{provider}}",
  refusedTitle: "This link cannot be used",
  paydeskPayments: "Paydesk payments",
  linkRefused: "Link refused",
  refusedText:
    "For your safety Paydesk only sends you back to addresses the shop has registered with us, so this link stops here. Nothing was paid or changed. Go back to the shop's own site and start again from there.",
  notFoundTitle: "Page not found",
  errorTitle: "Something went wrong",
  notFoundText: "This page does not exist (any more). Go back to the shop and start again.",
  errorText: "This could not be done right now. Nothing was paid or changed; try again in a moment.",
  loginMetaTitle: "Log in · My subscriptions",
  mySubscriptions: "My subscriptions",
  logInToContinue: "Log in to continue",
  logInToSee: "Log in to see your subscriptions and invoices",
  forCustomers: "For customers. Paydesk staff log in at /login.",
};
