"""Default settings, mirroring src/core/search/types.ts (DEFAULT_SEARCH_CONFIG) and
src/core/train/trainer.ts (DEFAULT_TRAIN_CONFIG). tests/test_defaults.py compares them with the
TypeScript values, so a change on one side fails until the other follows."""

DEFAULT_SEARCH_CONFIG = {
    "scale": 3,
    "cells": 3,
    "channels": 64,
    "k": 8,
    "groups": 4,
    "epochs": 100,
    "stepsPerEpoch": 20,
    "batch": 16,
    "patch": 24,
    "seed": 1,
    "warmupEpochs": 25,
    "regEpochs": 100,
    "tMin": 0.1,
    "tMax": 10,
    "wLr": 1e-3,
    "archLr": 6e-4,
    "archWeightDecay": 1e-3,
    "mu": 0.8,
    "rho": 0.2,
    "lambda": 1.5,
    "gamma": 0.8,
    "nu": 0.5,
    "l1Target": "softmax",
}

DEFAULT_TRAIN_CONFIG = {
    "epochs": 100,
    "stepsPerEpoch": 100,
    "batch": 16,
    "patch": 24,
    "lr": 1e-3,
    "seed": 1,
    "tMin": 0.1,
    "tMax": 10,
}

LIVE_KEYS = ("mu", "rho", "lambda", "gamma", "nu", "l1Target")
