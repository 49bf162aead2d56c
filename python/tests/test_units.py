"""The parts against independent references: numeric gradients (float64), naive loops, the
conventions of the model format (layout, groups, depthToSpace order, shuffle), the regularisers'
known values, derivation ties and genotype validation."""

import math

import numpy as np
import pytest
import torch

from srbnas_torch.channel_shuffle import channel_shuffle
from srbnas_torch.conv import conv2d
from srbnas_torch.derive import derive_genotype
from srbnas_torch.ede import EdeState, ede_schedule, ede_sign
from srbnas_torch.edge_gates import edge_gates, gate_prior
from srbnas_torch.genotype import GenotypeError, validate_genotype_json
from srbnas_torch.l1_loss import abs_diff
from srbnas_torch.libra_pb import binarize_weights, libra_pb_stats
from srbnas_torch.pixel_shuffle import depth_to_space
from srbnas_torch.regularisers import reg_alpha, reg_beta

EDE = EdeState(0.5, 2.0)  # k ≠ 1, so a lost k factor shows


def test_ede_forward_is_binary_with_sign0_plus1_and_backward_is_k_t_sech2():
    x = torch.tensor([-1.5, -0.2, 0.0, 0.3, 2.0], dtype=torch.float64, requires_grad=True)
    y = ede_sign(x, EDE)
    assert y.tolist() == [-1, -1, 1, 1, 1]
    y.backward(torch.ones_like(y))
    want = [EDE.k * EDE.t * (1 - math.tanh(EDE.t * v) ** 2) for v in x.tolist()]
    assert np.allclose(x.grad.numpy(), want, rtol=1e-9)


def test_ede_schedule_ends():
    assert ede_schedule(0, 10) == EdeState(pytest.approx(0.1), pytest.approx(10))
    s = ede_schedule(10, 10)
    assert (s.t, s.k) == (pytest.approx(10), 1.0)


def test_libra_pb_value_and_gradient_against_numeric_differences():
    g = torch.Generator().manual_seed(3)
    w = torch.randn(3, 3, 2, 4, generator=g, dtype=torch.float64)
    up = torch.randn(3, 3, 2, 4, generator=g, dtype=torch.float64)
    w_hat, sigma, scale = libra_pb_stats(w)
    flat = w.reshape(-1, 4)
    want_hat = (flat - flat.mean(0)) / flat.std(0, unbiased=False)
    assert torch.allclose(w_hat.reshape(-1, 4), want_hat, atol=1e-9)
    assert torch.equal(scale, 2.0 ** torch.round(torch.log2(want_hat.abs().mean(0))))
    wv = w.clone().requires_grad_(True)
    out = binarize_weights(wv, EDE, grad="identity")
    assert torch.equal(out, torch.where(w_hat >= 0, scale, -scale))
    (out * up).sum().backward()

    def f(x):  # Σ up · Ŵ(x) · 2^S with S fixed (the straight-through surrogate)
        fl = x.reshape(-1, 4)
        h = (fl - fl.mean(0)) / torch.sqrt(((fl - fl.mean(0)) ** 2).mean(0) + 1e-12)
        return float((h.reshape(x.shape) * scale * up).sum())

    num = torch.zeros_like(w)
    eps = 1e-6
    for i in range(w.numel()):
        d = torch.zeros(w.numel(), dtype=torch.float64)
        d[i] = eps
        num.view(-1)[i] = (f(w + d.view_as(w)) - f(w - d.view_as(w))) / (2 * eps)
    assert torch.allclose(wv.grad, num, atol=1e-7)


def test_libra_pb_ede_gradient_scales_by_the_ede_derivative():
    w = torch.randn(3, 3, 1, 2, dtype=torch.float64)
    a = w.clone().requires_grad_(True)
    b = w.clone().requires_grad_(True)
    up = torch.randn(3, 3, 1, 2, dtype=torch.float64)
    (binarize_weights(a, EDE, "ede") * up).sum().backward()
    w_hat, _, _ = libra_pb_stats(w)
    th = torch.tanh(EDE.t * w_hat)
    up2 = up * EDE.k * EDE.t * (1 - th * th)
    (binarize_weights(b, EDE, "identity") * up2).sum().backward()
    assert torch.allclose(a.grad, b.grad, atol=1e-12)


def naive_conv(x, w, groups, d):
    """float64 loops: NCHW x, tfjs filter [k, k, cin/g, cout], 'same' zero padding."""
    n, c, h, wd = x.shape
    k, _, cg, cout = w.shape
    cog, p = cout // groups, (k - 1) * d // 2
    y = np.zeros((n, cout, h, wd))
    for o in range(cout):
        g = o // cog
        for a in range(k):
            for b in range(k):
                for q in range(cg):
                    xs = np.zeros((n, h, wd))
                    src = x[:, g * cg + q]
                    for i in range(h):
                        ii = i + a * d - p
                        if 0 <= ii < h:
                            for j in range(wd):
                                jj = j + b * d - p
                                if 0 <= jj < wd:
                                    xs[:, i, j] = src[:, ii, jj]
                    y[:, o] += w[a, b, q, o] * xs
    return y


@pytest.mark.parametrize("k,groups,d", [(3, 1, 1), (3, 2, 2), (5, 4, 2), (7, 2, 1)])
def test_conv_layout_groups_dilation_against_loops(k, groups, d):
    rng = np.random.default_rng(k * 10 + groups + d)
    x = rng.standard_normal((2, 8, 9, 7))
    w = rng.standard_normal((k, k, 8 // groups, 8))
    y = conv2d(torch.from_numpy(x), torch.from_numpy(w), groups, d).numpy()
    assert np.allclose(y, naive_conv(x, w, groups, d), atol=1e-10)


def test_depth_to_space_uses_tf_channel_order():
    r, c = 3, 2
    x = torch.arange(1 * c * r * r * 2 * 2, dtype=torch.float64).reshape(1, c * r * r, 2, 2)
    y = depth_to_space(x, r)
    for h in range(2):
        for w in range(2):
            for i in range(r):
                for j in range(r):
                    for ch in range(c):
                        assert y[0, ch, h * r + i, w * r + j] == x[0, (i * r + j) * c + ch, h, w]


def test_channel_shuffle_order():
    x = torch.arange(8.0).reshape(1, 8, 1, 1)
    # groups k = 4, C/k = 2: output j·k + i takes input i·(C/k) + j
    assert channel_shuffle(x, 4).flatten().tolist() == [0, 2, 4, 6, 1, 3, 5, 7]


def test_reg_alpha_values_and_the_zero_gradient_of_the_softmax_l1():
    alpha = torch.randn(14, 6, dtype=torch.float64, requires_grad=True)
    p = torch.softmax(alpha, -1)
    r = reg_alpha(alpha, 0.8, 0.2, "softmax")
    assert float(r) == pytest.approx(-(0.8 * 14 + 0.2 * float((p * p).sum())))
    g_soft = torch.autograd.grad(reg_alpha(alpha, 0.8, 0.0, "softmax"), alpha)[0]
    assert float(g_soft.abs().max()) < 1e-12
    g_log = torch.autograd.grad(reg_alpha(alpha, 0.8, 0.0, "logits"), alpha)[0]
    assert torch.allclose(g_log, -0.8 * torch.sign(alpha))


def test_gates_sum_to_two_at_the_prior_and_reg_beta_there_is_zero():
    g = edge_gates(torch.zeros(14, dtype=torch.float64))
    assert g[:2].tolist() == [1.0, 1.0]
    assert float(g[2:5].sum()) == pytest.approx(2) and float(g[9:14].sum()) == pytest.approx(2)
    assert float(reg_beta(g, 0.5)) == pytest.approx(0, abs=1e-12)
    assert gate_prior(4) == pytest.approx(0.0)
    g2 = torch.tensor([1, 1, 0.9, 0.5, 0.1] + [0.5] * 9, dtype=torch.float64)
    want = -np.var([0.9, 0.5, 0.1]) + 0.5 * (1.5 - 2) ** 2 + 2 * (0.5 * (0.5 * 4 - 2) ** 2) \
        + 0.5 * (0.5 * 5 - 2) ** 2
    assert float(reg_beta(g2, 0.5)) == pytest.approx(want)


def test_l1_subgradient_at_zero_is_tfjs_minus_one():
    a = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
    abs_diff(a, torch.zeros(3)).sum().backward()
    assert a.grad.tolist() == [-1.0, 1.0, -1.0]


def test_derivation_ranks_edges_by_gate_times_max_p_with_stable_ties():
    p = [[1 / 6] * 6 for _ in range(14)]
    p[3] = [0.1, 0.5, 0.1, 0.1, 0.1, 0.1]
    gates = [1.0] * 14
    gates[2] = 0.1
    g = derive_genotype(p, gates)
    assert g["normal"][:2] == [["bin_dil_conv_3x3", 0], ["bin_dil_conv_3x3", 1]]
    assert g["normal"][2] == ["bin_conv_3x3", 1]  # edge 3 (input 1) wins node 3
    assert g["normal"][3] == ["bin_dil_conv_3x3", 2]  # tie 1, 2 → lower input first; 0 gated


def test_genotype_validation_names_the_field():
    good = {"format": "srbnas-genotype", "version": 1, "scale": 3, "searchSpace": ["bin_conv_3x3", "skip_connect"],
            "normal": [["bin_conv_3x3", 0], ["skip_connect", 1]] * 4, "normal_concat": [2, 3, 4, 5]}
    assert validate_genotype_json(good)["normal"][0] == ["bin_conv_3x3", 0]
    for field, bad in (("scale", {"scale": 5}), ("normal[2][0]", {"normal": [["bin_conv_3x3", 0], ["skip_connect", 1], ["bin_conv_7x7", 0]] + [["bin_conv_3x3", 0]] * 5}),
                       ("normal_concat", {"normal_concat": [2, 3]})):
        with pytest.raises(GenotypeError) as e:
            validate_genotype_json({**good, **bad})
        assert e.value.field == field


def test_fold_gives_the_packed_sign_and_scale_with_the_power_of_two():
    """docs/model-format.md §3 steps 1–4 on a heavy-tailed filter (S = −1 on channel 0)."""
    from srbnas_torch.binary_op import BinaryOp
    from srbnas_torch.params import Params

    op = BinaryOp(Params(1), "op", 4, 3, 1, 2)  # filter [3, 3, 2, 4], fanIn 18
    w = torch.randn(3, 3, 2, 4)
    w[..., 0] = 0.0
    w[0, 0, 0, 0] = 10.0
    with torch.no_grad():
        op.w.copy_(w)
        op.s.copy_(torch.tensor([0.3, -0.2, 0.05, 1.5]))
    sign, c = op.fold()
    flat = w.double().reshape(-1, 4)
    hat = (flat - flat.mean(0)) / flat.std(0, unbiased=False)
    S = torch.floor(torch.log2(hat.abs().mean(0)) + 0.5)
    assert S[0] == -1
    assert torch.equal(sign.reshape(-1, 4), torch.where(hat >= 0, 1.0, -1.0).float())
    norm = np.float32(1 / math.sqrt(18))
    want = [np.float32(np.float32(s * norm) * 2.0 ** e) for s, e in zip(op.s.tolist(), S.tolist())]
    assert c.tolist() == [float(v) for v in want]
