// A setting saved the moment it is chosen (the language, the colour scheme), posted through one
// fetcher, one post at a time.
//
// Arrow keys in a radio group or a segmented control choose every option they pass, so two or
// three posts can leave within milliseconds. The browser cancels the earlier ones, but the server
// may already be running them, and in any order: the account could keep a choice the screen no
// longer shows (seen in CI: the page in Norwegian, the account still English). So a choice made
// while a post is in flight waits, only the newest waiting one is kept, and it is sent once the
// post before it has been answered.
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

type Fields = Record<string, string>;
type Target = { method: "post"; action?: string };

/** `submit` posts or queues; `shown` is the choice to display (the queued one, the posting one, or none). */
export function useSavedChoice(target: Target): {
  submit: (fields: Fields) => void;
  shown: FormData | Fields | undefined;
} {
  const fetcher = useFetcher();
  const [waiting, setWaiting] = useState<Fields | null>(null);
  // "sent": submitted, the fetcher not yet seen busy; "busy": seen busy; null: nothing in flight.
  // A ref, not state: two key presses can run before React renders the first one's answer.
  const inFlight = useRef<"sent" | "busy" | null>(null);

  const send = (fields: Fields) => {
    inFlight.current = "sent";
    fetcher.submit(fields, target);
  };

  useEffect(() => {
    if (fetcher.state !== "idle") {
      inFlight.current = "busy";
      return;
    }
    if (inFlight.current === "busy") inFlight.current = null;
    if (inFlight.current === null && waiting) {
      setWaiting(null);
      send(waiting);
    }
  }, [fetcher.state, waiting]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = (fields: Fields) => {
    if (inFlight.current === null && !waiting) send(fields);
    else setWaiting(fields);
  };
  return { submit, shown: waiting ?? fetcher.formData };
}

/** The value of `name` in what `useSavedChoice` shows, if it holds one. */
export function shownValue(shown: FormData | Fields | undefined, name: string): string | undefined {
  const value = shown instanceof FormData ? shown.get(name) : shown?.[name];
  return typeof value === "string" ? value : undefined;
}
