export const lists = {
  active: "Active",
  disabled: "Disabled",
  since: "since",
  perPage: "Per page",
  unknownParameters: "This link has parameters the {{list}} does not know",
  startOver: "Start over with no filters",
  fixFilter: "Fix the filter marked in red to see {{what}}",
  fixFilterNote: "The list answers only filters it can read exactly, the same way the API does.",
};
