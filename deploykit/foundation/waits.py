"""Waiting is an object, not a sleep: poll a condition until it holds or a deadline passes,
then fail with what was awaited, for how long, and a hint (tenacity does the polling)."""

from collections.abc import Callable

from tenacity import RetryError, Retrying, retry_if_exception_type, retry_if_result, stop_after_delay, wait_fixed


class WaitTimeout(TimeoutError):
    pass


def wait_until(condition: Callable[[], object], *, what: str, timeout: float, interval: float = 0.5,
               hint: str = "") -> object:
    """Call condition until it returns a truthy value (returned) or timeout seconds pass.

    Exceptions raised by condition count as "not yet": a daemon that is still starting refuses
    connections, which is exactly what is being waited out.
    """
    retrying = Retrying(
        stop=stop_after_delay(timeout), wait=wait_fixed(interval),
        retry=retry_if_result(lambda result: not result) | retry_if_exception_type(Exception),
    )
    try:
        return retrying(condition)
    except RetryError:
        raise WaitTimeout(f"{what} did not happen within {timeout:g} s" + (f"; {hint}" if hint else "")) from None
