// The JSON of a callback delivery (GET /v1/callbacks, GET /v1/callbacks/{callbackId}): the
// response schema the OpenAPI document publishes and the serializer that fills it, side by side.
import { z } from "zod";
import { CALLBACK_STATES } from "../../domain/callback";
import { EXACT_COUNT_CAP } from "../../domain/search-filter";
import type { CallbackDetail } from "../../services/queries/callbacks.server";
import { paged, TimestampOut } from "./response-schemas";

const Id = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

export const CallbackAttempt = z
  .object({
    attemptedAt: TimestampOut,
    statusCode: z.int().nullable().meta({ description: "The receiver's HTTP status; null when it did not answer" }),
    latencyMs: z.int().min(0).meta({ description: "From sending the request to the answer (or giving up on it)" }),
    error: z
      .string()
      .nullable()
      .meta({
        description:
          "Why it was not accepted: the status and the start of the receiver's answer, or why there was no answer " +
          "(at most 500 characters; card numbers masked). null when delivered",
      }),
    delivered: z.boolean().meta({ description: "The receiver answered 202" }),
  })
  .strict();

export const Callback = z
  .object({
    callbackId: Id,
    url: z.string().meta({ description: "The callbackUrl it is posted to" }),
    state: z.enum(CALLBACK_STATES).meta({
      description:
        "PENDING: not tried yet; RETRYING: tried and not accepted, tried again at nextAttemptAt (with backoff up to ten minutes, " +
        "until the receiver answers 202); DELIVERED: the receiver answered 202; PAUSED: Paydesk staff paused delivery to this " +
        "receiver, and it is delivered after they resume it",
    }),
    paymentId: Id.nullable(),
    transactionId: Id.nullable(),
    correlationId: z
      .string()
      .nullable()
      .meta({ description: "Of the request whose change it announces (as on its operation-log entry)" }),
    payload: z
      .record(z.string(), z.unknown())
      .meta({ description: "The JSON body posted (the same on every attempt)" }),
    attempts: z.array(CallbackAttempt).meta({ description: "Every delivery attempt, oldest first" }),
    nextAttemptAt: TimestampOut.nullable().meta({
      description: "When it is tried next: only while PENDING or RETRYING",
    }),
    deliveredAt: TimestampOut.nullable(),
    createdAt: TimestampOut,
  })
  .strict()
  .meta({ description: "A callback to the client's callbackUrl and its delivery attempts" });

export const CallbackPage = paged(Callback).extend({
  totalItemsEstimated: z.boolean().meta({
    description: `true when more than ${EXACT_COUNT_CAP.toLocaleString("en")} callbacks match and totalItems is the database's estimate`,
  }),
});

const time = (value: Date | null) => (value === null ? null : value.toISOString());

export function callbackJson(v: CallbackDetail): z.infer<typeof Callback> {
  return {
    callbackId: v.id,
    url: v.url,
    state: v.state,
    paymentId: v.paymentId,
    transactionId: v.transactionId,
    correlationId: v.correlationId,
    payload: v.payload,
    attempts: v.attemptList.map((attempt) => ({
      attemptedAt: attempt.attemptedAt.toISOString(),
      statusCode: attempt.statusCode,
      latencyMs: attempt.latencyMs,
      error: attempt.error,
      delivered: attempt.delivered,
    })),
    nextAttemptAt: time(v.nextAttemptAt),
    deliveredAt: time(v.deliveredAt),
    createdAt: v.createdAt.toISOString(),
  };
}
