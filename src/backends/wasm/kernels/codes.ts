// Op codes: indexes into UNARY_CODES / BINARY_CODES / REDUCE_CODES in ../abi.ts, in the same order.
// The exported *OpCount functions let a test catch the two lists drifting apart.

export const U_NEG = 0, U_ABS = 1, U_SIGN = 2, U_EXP = 3, U_EXPM1 = 4, U_LOG = 5, U_LOG1P = 6,
  U_SQRT = 7, U_RSQRT = 8, U_SQUARE = 9, U_RECIPROCAL = 10, U_TANH = 11, U_SIGMOID = 12,
  U_ERF = 13, U_RELU = 14, U_STEP = 15, U_FLOOR = 16, U_CEIL = 17, U_ROUND = 18, U_SIN = 19,
  U_COS = 20, U_ISNAN = 21, U_ISFINITE = 22, U_LOGICAL_NOT = 23;
export const UNARY_OP_COUNT = 24;

export const B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_POW = 4, B_MAXIMUM = 5, B_MINIMUM = 6,
  B_MOD = 7, B_EQUAL = 8, B_NOT_EQUAL = 9, B_GREATER = 10, B_GREATER_EQUAL = 11, B_LESS = 12,
  B_LESS_EQUAL = 13;
export const BINARY_OP_COUNT = 14;

export const R_SUM = 0, R_MAX = 1, R_MIN = 2, R_PROD = 3;
export const REDUCE_OP_COUNT = 4;

/** BroadcastMode in abi.ts. */
export const SAME = 0, B_SCALAR = 1, A_SCALAR = 2, B_ROW = 3, A_ROW = 4, B_COL = 5, A_COL = 6;

export function unaryOpCount(): i32 {
  return UNARY_OP_COUNT;
}

export function binaryOpCount(): i32 {
  return BINARY_OP_COUNT;
}

export function reduceOpCount(): i32 {
  return REDUCE_OP_COUNT;
}
