// A form's submit button that shows it is waiting (spinner, disabled) from the click until the
// answer is there: for a Remix <Form> that navigates (GET filters, POSTs that redirect), while
// the pending navigation is this form's; for a form that navigates by hand (FilterBuilder),
// while `pending` says so (usePendingNavigation).
import { Button, type ButtonProps } from "@mantine/core";
import { useFormAction, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type ComponentPropsWithoutRef } from "react";

const pathOf = (href: string | undefined) => href?.split("?")[0];

export function SubmitButton({
  action,
  pending,
  ...props
}: ButtonProps &
  Omit<ComponentPropsWithoutRef<"button">, "type" | "color" | "style"> & {
    /** The form's action, when it is not the route's own. */
    action?: string;
    /** Pending by other means than the form's own navigation. */
    pending?: boolean;
  }) {
  const navigation = useNavigation();
  const formAction = useFormAction(action);
  const submitting =
    navigation.state !== "idle" &&
    navigation.formAction !== undefined &&
    pathOf(navigation.formAction) === pathOf(formAction);
  return <Button type="submit" loading={pending || submitting} {...props} />;
}

/**
 * For a form that navigates with navigate(): `start()` on submit, and `pending` stays true until
 * the navigation it started has finished.
 */
export function usePendingNavigation(): { pending: boolean; start: () => void } {
  const navigation = useNavigation();
  const [pending, setPending] = useState(false);
  const sawBusy = useRef(false);
  useEffect(() => {
    if (!pending) return;
    if (navigation.state !== "idle") sawBusy.current = true;
    else if (sawBusy.current) setPending(false);
  }, [navigation.state, pending]);
  return {
    pending,
    start: () => {
      sawBusy.current = false;
      setPending(true);
    },
  };
}
