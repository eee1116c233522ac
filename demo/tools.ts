import type { Tool } from '../src/index.js';

/** Time zones the demo's `time_in` tool knows. */
const TIME_ZONES: Record<string, string> = {
  tokyo: 'Asia/Tokyo',
  paris: 'Europe/Paris',
  london: 'Europe/London',
  'new york': 'America/New_York',
  lima: 'America/Lima',
  sydney: 'Australia/Sydney',
  nairobi: 'Africa/Nairobi',
  delhi: 'Asia/Kolkata',
};

/** The page's tools: the model (the mock, or a real one) calls them and the element runs them here. */
export const tools: Tool[] = [
  {
    name: 'time_in',
    description: 'The current local time in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    execute({ city }: { city: string }) {
      const timeZone = TIME_ZONES[String(city).toLowerCase()];
      if (!timeZone) throw new Error(`No time zone known for ${city}; try one of: ${Object.keys(TIME_ZONES).join(', ')}.`);
      const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date());
      return { city, time, timeZone };
    },
  },
  {
    name: 'roll_dice',
    description: 'Rolls dice.',
    parameters: {
      type: 'object',
      properties: { count: { type: 'integer', minimum: 1, maximum: 9 }, sides: { type: 'integer', minimum: 2 } },
      required: ['count'],
    },
    // A short wait, so the card's "Running…" state can be seen.
    async execute({ count, sides = 6 }: { count: number; sides?: number }, { signal }) {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 700);
        signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
      });
      const rolls = Array.from({ length: count }, () => 1 + Math.floor(Math.random() * sides));
      return { rolls, total: rolls.reduce((sum, roll) => sum + roll, 0) };
    },
  },
];
