/** Vite's `?raw` imports (a migration's SQL text, to run it in a test). */
declare module "*.sql?raw" {
  const text: string;
  export default text;
}
