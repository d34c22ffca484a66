from benchmarks.common import setup
setup()
from benchmarks import supervision as b
b.dashboard(1)
