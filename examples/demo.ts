/**
 * `npm run demo`: the seed's classification and regression examples, end to end.
 */
import { main as classification } from './classification_pipeline.js';
import { main as regression } from './regression.js';

console.log('== Classification: 1000 × 10, scaled to [0, 1], 800/200 split, MLP 10→64→64→1 ==');
await classification();
console.log('\n== Regression: MLP 4→64→64→1 on a smooth function ==');
await regression();
