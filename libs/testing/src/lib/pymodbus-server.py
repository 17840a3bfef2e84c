"""A Modbus TCP server from an independent implementation (Debian's python3-pymodbus 3.0.0), for
integration tests. Run with /usr/bin/python3 (Debian's pymodbus is not in other Pythons):

    /usr/bin/python3 pymodbus-server.py '<json config>'

Config: {"host": "127.0.0.1", "port": 15020,
         "holding": {"100": 17224, ...}, "input": {...}, "coils": {"0": true}, "discrete": {...},
         "busy": {"holding": [600]}, "failing": {"input": [7]}}
Only the addresses listed exist (a sparse map: reading any other one answers exception 2, illegal
data address, as a real device does). A read touching a "busy" address answers exception 6, one
touching a "failing" address exception 4. Addresses are the 0-based protocol addresses
(zero_mode=True: without it pymodbus serves address N from its N+1). Prints "ready <port>" once
it listens; writes (FC5/6/15/16) change the listed addresses.
"""
import asyncio
import json
import logging
import sys

from pymodbus.bit_read_message import ReadCoilsRequest, ReadDiscreteInputsRequest
from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from pymodbus.pdu import ModbusExceptions
from pymodbus.register_read_message import ReadHoldingRegistersRequest, ReadInputRegistersRequest
from pymodbus.server import StartAsyncTcpServer

REQUESTS = {
    "coils": ReadCoilsRequest,
    "discrete": ReadDiscreteInputsRequest,
    "holding": ReadHoldingRegistersRequest,
    "input": ReadInputRegistersRequest,
}


def block(values):
    # ModbusSparseDataBlock() without values would answer nothing at all, which is what we want
    return ModbusSparseDataBlock({int(k): v for k, v in (values or {}).items()})


def guard(table, busy, failing):
    """Answer exception 6 or 4 for reads touching the listed addresses of one table."""
    request = REQUESTS[table]
    original = request.execute

    def execute(self, context):
        touched = set(range(self.address, self.address + self.count))
        if touched & busy:
            return self.doException(ModbusExceptions.SlaveBusy)
        if touched & failing:
            return self.doException(ModbusExceptions.SlaveFailure)
        return original(self, context)

    request.execute = execute


async def main(config):
    slave = ModbusSlaveContext(
        zero_mode=True,
        co=block(config.get("coils")),
        di=block(config.get("discrete")),
        hr=block(config.get("holding")),
        ir=block(config.get("input")),
    )
    for table in REQUESTS:
        busy = set(config.get("busy", {}).get(table, []))
        failing = set(config.get("failing", {}).get(table, []))
        if busy or failing:
            guard(table, busy, failing)
    server = await StartAsyncTcpServer(
        context=ModbusServerContext(slaves=slave, single=True),
        address=(config.get("host", "127.0.0.1"), int(config["port"])),
        defer_start=True,
        allow_reuse_address=True,  # a restart on the same port must not wait for TIME_WAIT
    )
    serving = asyncio.ensure_future(server.serve_forever())
    await server.serving
    print(f"ready {config['port']}", flush=True)
    await serving


if __name__ == "__main__":
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(main(json.loads(sys.argv[1])))
