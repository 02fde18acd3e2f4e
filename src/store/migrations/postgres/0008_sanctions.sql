-- Firm sanctions for faltas de trabajo y previsión social that the ministry records in this
-- system (the Registro de Faltas may also answer over HTTP). A solvencia is issued only when
-- no source has a pending one for the NIT. Times are RFC 3339 UTC text; dates YYYY-MM-DD.
CREATE TABLE firm_sanctions (
    nit             TEXT NOT NULL,
    reference       TEXT NOT NULL,
    description     TEXT NOT NULL,
    amount_centavos BIGINT NOT NULL CHECK (amount_centavos >= 0),
    firm_on         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pendiente', 'solventada')),
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    settled_at      TEXT,
    settled_by      TEXT,
    settled_note    TEXT,
    PRIMARY KEY (nit, reference)
);
