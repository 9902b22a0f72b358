/**
 * Glicko-2, written from Mark Glickman's "Example of the Glicko-2 system" (2013), steps 1-8.
 * Small and central, so written here and tested against the paper's worked example.
 */

export interface Rating {
  rating: number;
  deviation: number;
  volatility: number;
}

export interface GameResult {
  opponent: Rating;
  /** 1 win, 0 loss, 0.5 draw. */
  score: number;
}

/** The system constant τ (Glickman suggests 0.3-1.2). */
export const DEFAULT_TAU = 0.75;
const SCALE = 173.7178;
const CONVERGENCE = 0.000001;

const g = (phi: number) => 1 / Math.sqrt(1 + (3 * phi * phi) / (Math.PI * Math.PI));
const expected = (mu: number, muJ: number, phiJ: number) => 1 / (1 + Math.exp(-g(phiJ) * (mu - muJ)));

/** Step 5: the new volatility, by the Illinois variant of regula falsi. */
function newVolatility(sigma: number, phi: number, v: number, delta: number, tau: number): number {
  const a = Math.log(sigma * sigma);
  const f = (x: number) => {
    const ex = Math.exp(x);
    return (ex * (delta * delta - phi * phi - v - ex)) / (2 * (phi * phi + v + ex) ** 2) - (x - a) / (tau * tau);
  };
  let A = a;
  let B: number;
  if (delta * delta > phi * phi + v) B = Math.log(delta * delta - phi * phi - v);
  else {
    let k = 1;
    while (f(a - k * tau) < 0) k++;
    B = a - k * tau;
  }
  let fA = f(A);
  let fB = f(B);
  while (Math.abs(B - A) > CONVERGENCE) {
    const C = A + ((A - B) * fA) / (fB - fA);
    const fC = f(C);
    if (fC * fB <= 0) {
      A = B;
      fA = fB;
    } else fA /= 2;
    B = C;
    fB = fC;
  }
  return Math.exp(A / 2);
}

/** One rating period: the player's rating after the given games (no games: the deviation grows). */
export function updateRating(player: Rating, games: readonly GameResult[], tau = DEFAULT_TAU): Rating {
  const mu = (player.rating - 1500) / SCALE;
  const phi = player.deviation / SCALE;
  if (games.length === 0) {
    return { ...player, deviation: Math.sqrt(phi * phi + player.volatility * player.volatility) * SCALE };
  }
  let vInverse = 0;
  let sum = 0;
  for (const { opponent, score } of games) {
    const muJ = (opponent.rating - 1500) / SCALE;
    const phiJ = opponent.deviation / SCALE;
    const e = expected(mu, muJ, phiJ);
    vInverse += g(phiJ) ** 2 * e * (1 - e);
    sum += g(phiJ) * (score - e);
  }
  const v = 1 / vInverse;
  const delta = v * sum;
  const sigma = newVolatility(player.volatility, phi, v, delta, tau);
  const phiStar = Math.sqrt(phi * phi + sigma * sigma);
  const phiNew = 1 / Math.sqrt(1 / (phiStar * phiStar) + 1 / v);
  const muNew = mu + phiNew * phiNew * sum;
  return { rating: SCALE * muNew + 1500, deviation: SCALE * phiNew, volatility: sigma };
}

/** Probability that `a` beats `b`, as Glicko-2 expects it (used to pick questions near a target). */
export function winProbability(a: Rating, b: Rating): number {
  const phi = Math.sqrt(a.deviation ** 2 + b.deviation ** 2) / SCALE;
  return expected((a.rating - 1500) / SCALE, (b.rating - 1500) / SCALE, phi);
}
