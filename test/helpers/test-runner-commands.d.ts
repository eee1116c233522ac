/**
 * The browser side of @web/test-runner-commands that the tests use. tsconfig.json maps the package
 * here because its own types pull in the test runner's server types and, through them, Node's
 * globals (a setTimeout that returns an object), which must not leak into browser code.
 */
export type SendKeysPayload = { type: string } | { press: string } | { down: string } | { up: string };

/** Types, presses, holds or releases keys through the browser's real input pipeline. */
export function sendKeys(payload: SendKeysPayload): Promise<void>;

/** Runs a command registered by a test-runner plugin on the server, with `payload`. */
export function executeServerCommand<R, P = unknown>(command: string, payload?: P): Promise<R>;

/** Emulates a CSS media feature, such as `prefers-color-scheme`. */
export function emulateMedia(media: { colorScheme?: 'light' | 'dark' | 'no-preference'; reducedMotion?: 'reduce' | 'no-preference'; media?: string }): Promise<void>;

/** Moves the real mouse (or presses or releases a button) at a position in the page's viewport, in CSS pixels. */
export function sendMouse(payload: { type: 'move' | 'down' | 'up' | 'click'; position?: [number, number]; button?: 'left' | 'middle' | 'right' }): Promise<void>;

/** Sets the page's viewport, in CSS pixels. */
export function setViewport(viewport: { width: number; height: number }): Promise<void>;
