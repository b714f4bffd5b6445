export const actions = {
  notDone: "Not done",
  titleNotDone: "{{title}}: not done",
  reasonNote: "Goes to the audit log with your name.",
  enable: "Enable",
  disable: "Disable",
  shownOnce: "Shown only this once",
  haveCopied: "I have copied it",
  bulk: {
    reasonDescription: "One reason for every {{what}}; it goes to the audit log with your name.",
    preview: "Preview",
    back: "Back",
    previewAgain: "Preview again",
  },
};
