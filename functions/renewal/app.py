"""Lambda handler of the daily renewal job."""

from kep_lifecycle.handlers import job_handler
from kep_lifecycle.services.renewal import run_renewal

handler = job_handler("renewal", lambda rt, request, context: run_renewal(rt, request))
