"""The ticket store: ``Store`` (tickets, audit, outbox, inbound queue, shared state) and its records."""

from bot.adapters.store.export import EXPORT_COLUMNS, write_csv
from bot.adapters.store.migrate import migrate
from bot.adapters.store.records import (
    EventRow,
    FiledResult,
    InboundRow,
    NewTicket,
    OutboxKind,
    OutboxRow,
    OutgoingMail,
    TicketNotFound,
    TicketPage,
    TicketQuery,
    TicketRow,
)
from bot.adapters.store.store import Store

__all__ = [
    "EXPORT_COLUMNS", "EventRow", "FiledResult", "InboundRow", "NewTicket", "OutboxKind", "OutboxRow",
    "OutgoingMail", "Store", "TicketNotFound", "TicketPage", "TicketQuery", "TicketRow", "migrate", "write_csv",
]
