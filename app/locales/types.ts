// A locale's shape: the same keys as English (the source), every value a string. TypeScript
// refuses a Norwegian module with a key missing or extra; locales.test.ts checks the values.
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
