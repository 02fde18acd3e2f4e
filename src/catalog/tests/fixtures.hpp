#pragma once
// A small but complete definition used by the catalog tests.
#include <string>

namespace vt::catalog::testing {

inline const std::string kDenuncia = R"({
  "id": "denuncia-laboral",
  "version": 2,
  "nombre": "Denuncia laboral",
  "descripcion": "Denuncie incumplimientos de su empleador ante la Inspección General de Trabajo.",
  "base_legal": "Código de Trabajo, Art. 278",
  "audiencia": ["ciudadano"],
  "prioridad": "prioritario",
  "canal": "digital",
  "oficina": "IGT",
  "tema": "inspeccion",
  "anonimo_permitido": true,
  "tarifa_centavos": 0,
  "plazo_dias_habiles": 15,
  "requisitos": [
    {"id": "prueba", "nombre": "Pruebas", "obligatorio": false, "tipos": ["application/pdf"], "max_bytes": 5242880}
  ],
  "formulario": [
    {"id": "anonima", "tipo": "si_no", "etiqueta": "¿Desea presentar la denuncia de forma anónima?", "obligatorio": true},
    {"id": "cui", "tipo": "cui", "etiqueta": "CUI", "obligatorio": true, "visible_si": {"campo": "anonima", "igual": false}},
    {"id": "nombre", "tipo": "texto", "etiqueta": "Nombre", "min": 2, "max": 80, "visible_si": {"campo": "anonima", "igual": false}},
    {"id": "nit_empleador", "tipo": "nit", "etiqueta": "NIT del empleador", "obligatorio": true},
    {"id": "hechos", "tipo": "texto_largo", "etiqueta": "Hechos", "obligatorio": true, "min": 10, "max": 2000},
    {"id": "trabajadores_afectados", "tipo": "entero", "etiqueta": "Trabajadores afectados", "min": 1, "max": 10000},
    {"id": "salario_adeudado", "tipo": "dinero", "etiqueta": "Salario adeudado", "max": 100000000},
    {"id": "fecha_hechos", "tipo": "fecha", "etiqueta": "Fecha de los hechos", "obligatorio": true, "fecha_min": "2000-01-01", "fecha_max": "hoy"},
    {"id": "tipo", "tipo": "seleccion", "etiqueta": "Tipo", "obligatorio": true,
     "opciones": [{"valor": "salario", "etiqueta": "Salario"}, {"valor": "despido", "etiqueta": "Despido"}]},
    {"id": "temas", "tipo": "seleccion_multiple", "etiqueta": "Temas", "min": 1, "max": 2,
     "opciones": [{"valor": "a", "etiqueta": "A"}, {"valor": "b", "etiqueta": "B"}, {"valor": "c", "etiqueta": "C"}]},
    {"id": "correo", "tipo": "correo", "etiqueta": "Correo"},
    {"id": "telefono", "tipo": "telefono", "etiqueta": "Teléfono"},
    {"id": "lugar", "tipo": "lugar", "etiqueta": "Lugar de trabajo", "obligatorio": true},
    {"id": "codigo", "tipo": "texto", "etiqueta": "Código de expediente anterior", "patron": "^[A-Z]{2}-[0-9]{4}$", "mensaje_patron": "Use el formato AB-1234."},
    {"id": "prueba", "tipo": "archivo", "etiqueta": "Prueba", "tipos": ["application/pdf"], "max_bytes": 5242880},
    {"id": "companeros", "tipo": "grupo", "etiqueta": "Compañeros afectados", "max": 3, "campos": [
      {"id": "nombre", "tipo": "texto", "etiqueta": "Nombre", "obligatorio": true},
      {"id": "cui", "tipo": "cui", "etiqueta": "CUI"}
    ]}
  ],
  "flujo": {
    "inicial": "presentada",
    "estados": [
      {"id": "presentada", "nombre": "Presentada", "plazo_dias_habiles": 2},
      {"id": "en_inspeccion", "nombre": "En inspección", "plazo_dias_habiles": 10},
      {"id": "resuelta", "nombre": "Resuelta", "final": true},
      {"id": "rechazada", "nombre": "Rechazada", "final": true}
    ],
    "transiciones": [
      {"id": "admitir", "nombre": "Admitir", "de": ["presentada"], "a": "en_inspeccion", "roles": ["recepcion"]},
      {"id": "rechazar", "nombre": "Rechazar", "de": ["presentada"], "a": "rechazada", "roles": ["recepcion", "jefe"],
       "entradas": [{"id": "motivo", "tipo": "texto_largo", "etiqueta": "Motivo", "obligatorio": true}]},
      {"id": "resolver", "nombre": "Resolver", "de": ["en_inspeccion"], "a": "resuelta", "roles": ["inspector"],
       "entradas": [{"id": "resolucion", "tipo": "texto_largo", "etiqueta": "Resolución", "obligatorio": true}],
       "emite": "acta"}
    ]
  },
  "documentos": [{"id": "acta", "nombre": "Acta de inspección", "plantilla": "Se resolvió {{resolucion}}."}]
})";

}  // namespace vt::catalog::testing
