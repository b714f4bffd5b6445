export const lists = {
  active: "Active",
  disabled: "Disabled",
  since: "since",
  perPage: "Per page",
  unknownParameters: "This link has parameters the {{list}} does not know",
  startOver: "Start over with no filters",
  fixFilter: "Fix the filter marked in red to see {{what}}",
  export: {
    button: "Export CSV",
    denied: "Exports are for finance and admin",
    failed: "Export failed",
    progress: "Export progress",
    rows: "{{rows}} of {{expected}} rows",
    rowsAbout: "{{rows}} of about {{expected}} rows",
  },
  fixFilterNote: "The list answers only filters it can read exactly, the same way the API does.",
};
