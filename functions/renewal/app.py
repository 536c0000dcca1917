"""Lambda handler of the daily renewal job."""

from kep_lifecycle.handlers import job_handler
from kep_lifecycle.services.renewal import run_renewal

handler = job_handler("renewal", run_renewal)
