import { PRIMITIVES, type Primitive } from '../../../core/search/types';

/** One colour per op, fixed across every view (colour-blind-safe Tableau-like picks). */
export const OP_COLOURS: Record<Primitive, string> = {
  bin_dil_conv_3x3: '#4e79a7',
  bin_conv_3x3: '#59a14f',
  bin_dil_conv_5x5: '#76b7b2',
  bin_conv_5x5: '#edc948',
  bin_conv_7x7: '#e15759',
  skip_connect: '#9c9c9c',
};

export const OP_SHORT: Record<Primitive, string> = {
  bin_dil_conv_3x3: 'dil3',
  bin_conv_3x3: 'conv3',
  bin_dil_conv_5x5: 'dil5',
  bin_conv_5x5: 'conv5',
  bin_conv_7x7: 'conv7',
  skip_connect: 'skip',
};

export const opColour = (o: number) => OP_COLOURS[PRIMITIVES[o]];

/** Node names as DARTS draws them: the two cell inputs, then intermediate nodes 2..5. */
export const nodeName = (i: number) => (i === 0 ? 'c_{k-2}' : i === 1 ? 'c_{k-1}' : String(i));
