/**
 * The paper's own figures (Su et al., Biomimetics 2024, 9, 369), copied from its Table 2 (mean
 * PSNR/SSIM) and Table 3 (parameters at x3), so reports can show them beside ours.
 * `null` = the paper gives no value ("-").
 */
export type PaperMethod =
  'bicubic' | 'espcn' | 'resbinespcn-a2' | 'srresnet-bnn' | 'vdsr-bnn' | 'srbnas';

export const PAPER_METHOD_LABEL: Record<PaperMethod, string> = {
  bicubic: 'Bicubic',
  espcn: 'ESPCN (Full Precision)',
  'resbinespcn-a2': 'ResBinESPCN-A2',
  'srresnet-bnn': 'SRResNet (BNN)',
  'vdsr-bnn': 'VDSR (BNN)',
  srbnas: 'Ours: SRBNAS',
};

type Score = [number, number | null];

/** Table 2: [set][scale][method] = [PSNR, SSIM]. The paper calls BSD100 "BSDS100". */
export const PAPER_TABLE2: Record<string, Record<number, Record<PaperMethod, Score>>> = {
  Set5: {
    3: {
      bicubic: [30.46, 0.87],
      espcn: [32.29, null],
      'resbinespcn-a2': [29.82, null],
      'srresnet-bnn': [31.18, 0.88],
      'vdsr-bnn': [31.01, 0.87],
      srbnas: [31.8, 0.9],
    },
    4: {
      bicubic: [28.48, 0.82],
      espcn: [28.8, null],
      'resbinespcn-a2': [28.11, null],
      'srresnet-bnn': [29.33, 0.82],
      'vdsr-bnn': [29.02, 0.82],
      srbnas: [29.34, 0.84],
    },
  },
  Set14: {
    3: {
      bicubic: [27.59, 0.78],
      espcn: [28.9, null],
      'resbinespcn-a2': [27.33, null],
      'srresnet-bnn': [28.29, 0.8],
      'vdsr-bnn': [28.15, 0.79],
      srbnas: [28.57, 0.81],
    },
    4: {
      bicubic: [25.92, 0.72],
      espcn: [26.16, null],
      'resbinespcn-a2': [25.78, null],
      'srresnet-bnn': [26.72, 0.72],
      'vdsr-bnn': [26.55, 0.72],
      srbnas: [26.47, 0.74],
    },
  },
  BSD100: {
    3: {
      bicubic: [27.26, 0.75],
      espcn: [28.16, null],
      'resbinespcn-a2': [27.03, null],
      'srresnet-bnn': [27.73, 0.77],
      'vdsr-bnn': [27.57, 0.76],
      srbnas: [27.95, 0.78],
    },
    4: {
      bicubic: [26.02, 0.67],
      espcn: [26.21, null],
      'resbinespcn-a2': [25.87, null],
      'srresnet-bnn': [26.45, 0.69],
      'vdsr-bnn': [26.29, 0.69],
      srbnas: [26.45, 0.7],
    },
  },
};

/**
 * Table 3 (parameters, x3). The paper's BNN baselines there are the BAM variants
 * (VDSR_BAM, SRResNet BAM), which we map to our VDSR-BNN / SRResNet-BNN rows.
 */
export const PAPER_TABLE3: { model: string; method: PaperMethod | null; params: string }[] = [
  { model: 'VDSR_BAM', method: 'vdsr-bnn', params: '668 K' },
  { model: 'SRResNet BAM', method: 'srresnet-bnn', params: '1547 K' },
  { model: 'BSRN', method: null, params: '1216 K' },
  { model: 'ResBinESPCN-A2', method: 'resbinespcn-a2', params: '349 K' },
  { model: 'Ours: SRBNAS', method: 'srbnas', params: '192 K' },
];

/**
 * Table 4 (x3): parameters and PSNR of the cell searched with each (μ, ρ). The paper does not
 * say which test set the PSNR is on (its Set5 x3 figure for μ = 0.8 is 31.80 in Table 2, close to
 * the 31.84 here) nor which L1 target (it writes the L1 term on the softmax weights).
 */
export const PAPER_TABLE4: { mu: number; rho: number; paramsK: number; psnr: number }[] = [
  { mu: 0.2, rho: 0.8, paramsK: 366, psnr: 32.17 },
  { mu: 0.5, rho: 0.5, paramsK: 350, psnr: 32.02 },
  { mu: 0.8, rho: 0.2, paramsK: 192, psnr: 31.84 },
];
