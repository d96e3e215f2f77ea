"""The blend's members, one module each, all behind :class:`~segmentor.ml.members.base.Member`."""
