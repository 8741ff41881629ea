"""Dask: a LocalCluster gives exactly the numbers the local pool gives."""

from __future__ import annotations

import pandas as pd
import pytest
from distributed import Client, LocalCluster

import sib
from sib.study.results import run


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_a_dask_cluster_gives_the_same_summary_as_serial(client):
    sc = sib.load_scenario("scenarios/bostad_forst.yaml")
    serial = run(sc, reps=16, seed=5, executor="serial")
    on_dask = run(sc, reps=16, seed=5, executor=client, batch_size=3)
    pd.testing.assert_frame_equal(serial.summary, on_dask.summary)
    compared = sib.compare({"a": sc}, reps=16, seed=5, executor=client.get_executor())
    pd.testing.assert_frame_equal(serial.summary, compared.results["a"].summary)
