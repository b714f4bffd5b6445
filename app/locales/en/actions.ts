export const actions = {
  notDone: "Not done",
  titleNotDone: "{{title}}: not done",
  reasonNote: "Goes to the audit log with your name.",
  enable: "Enable",
  disable: "Disable",
  shownOnce: "Shown only this once",
  haveCopied: "I have copied it",
};
