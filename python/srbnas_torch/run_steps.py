"""Step bookkeeping shared by the search and the trainer: a run is `epochs × stepsPerEpoch`
steps of its config and is done when `step_index` reaches that."""


class StepCounted:
    config: dict
    step_index: int

    @property
    def total_steps(self) -> int:
        return self.config["epochs"] * self.config["stepsPerEpoch"]

    @property
    def done(self) -> bool:
        return self.step_index >= self.total_steps
